import { Injectable } from '@nestjs/common';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { RequestHandler } from 'express';
import { applyQueueName, INGEST_QUEUE, JOB_EVENTS_QUEUE } from '@bulkops/contracts';
import { OBJECT_TYPES } from '@bulkops/objects';
import { QueueHandles } from '@bulkops/queue';

/** Where the board is served. */
export const QUEUE_BOARD_PATH = '/admin/queues';

const RESCAN_AFTER_MS = 30_000;

/**
 * Bull Board over every queue of this stack's QUEUE_PREFIX: the queues the pipeline declares
 * (ingest, job-events, one apply queue per object type) and any other queue found under the prefix
 * in Redis, looked for again at most every 30 seconds while someone uses the board. Nothing is
 * opened before the board is first used (a queue handle writes its queue's metadata to Redis).
 */
@Injectable()
export class QueueBoard {
  private readonly adapter = new ExpressAdapter().setBasePath(QUEUE_BOARD_PATH);
  private readonly shown = new Set<string>();
  private readonly board: ReturnType<typeof createBullBoard>;
  private scannedAt = 0;

  constructor(private readonly handles: QueueHandles) {
    this.board = createBullBoard({
      queues: [],
      serverAdapter: this.adapter,
      options: { uiConfig: { boardTitle: 'bulkops queues' } },
    });
  }

  /** The board's Express router. */
  get router(): RequestHandler {
    return this.adapter.getRouter() as RequestHandler;
  }

  /** Adds the queues that appeared under the prefix since the last look. */
  async discover(): Promise<void> {
    if (Date.now() - this.scannedAt < RESCAN_AFTER_MS) return;
    this.scannedAt = Date.now();
    const declared = [
      INGEST_QUEUE,
      JOB_EVENTS_QUEUE,
      ...OBJECT_TYPES.map((d) => applyQueueName(d.type)),
    ];
    for (const name of [...declared, ...(await this.handles.discover())]) this.show(name);
  }

  private show(name: string): void {
    if (this.shown.has(name)) return;
    this.shown.add(name);
    this.board.addQueue(new BullMQAdapter(this.handles.open(name)));
  }
}
