import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
// The board reads and retries queue jobs; it never enqueues work (that stays with JobProducer).
// eslint-disable-next-line no-restricted-imports
import { Queue } from 'bullmq';
import type { RequestHandler } from 'express';
import { QueueEnv } from '@bulkops/config';
import { applyQueueName, INGEST_QUEUE, JOB_EVENTS_QUEUE } from '@bulkops/contracts';
import { OBJECT_TYPES } from '@bulkops/objects';
import { RedisClient } from '@bulkops/queue';

/** Where the board is served. */
export const QUEUE_BOARD_PATH = '/admin/queues';

const RESCAN_AFTER_MS = 30_000;

/**
 * Bull Board over every queue of this stack's QUEUE_PREFIX: the queues the pipeline declares
 * (ingest, job-events, one apply queue per object type) and any other queue found under the prefix
 * in Redis, looked for again at most every 30 seconds while someone uses the board. The queue
 * handles share the gateway's Redis connection.
 */
@Injectable()
export class QueueBoard implements OnApplicationShutdown {
  private readonly adapter = new ExpressAdapter().setBasePath(QUEUE_BOARD_PATH);
  private readonly queues = new Map<string, Queue>();
  private readonly board: ReturnType<typeof createBullBoard>;
  private scannedAt = 0;

  constructor(
    private readonly redisClient: RedisClient,
    private readonly env: QueueEnv,
  ) {
    this.board = createBullBoard({
      queues: [],
      serverAdapter: this.adapter,
      options: { uiConfig: { boardTitle: 'bulkops queues' } },
    });
    for (const name of [
      INGEST_QUEUE,
      JOB_EVENTS_QUEUE,
      ...OBJECT_TYPES.map((d) => applyQueueName(d.type)),
    ])
      this.add(name);
  }

  /** The board's Express router. */
  get router(): RequestHandler {
    return this.adapter.getRouter() as RequestHandler;
  }

  /** Adds queues that appeared under the prefix since the last look. */
  async discover(): Promise<void> {
    if (Date.now() - this.scannedAt < RESCAN_AFTER_MS) return;
    this.scannedAt = Date.now();
    const prefix = `${this.env.queuePrefix}:`;
    for (const suffix of [':meta', ':events']) {
      const stream = this.redisClient.redis.scanStream({
        match: `${prefix}*${suffix}`,
        count: 500,
      });
      for await (const keys of stream as AsyncIterable<string[]>) {
        for (const key of keys) {
          const name = key.slice(prefix.length, -suffix.length);
          if (name && !name.includes(':')) this.add(name);
        }
      }
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close().catch(() => undefined)));
  }

  private add(name: string): void {
    if (this.queues.has(name)) return;
    const queue = new Queue(name, {
      connection: this.redisClient.redis,
      prefix: this.env.queuePrefix,
    });
    this.queues.set(name, queue);
    this.board.addQueue(new BullMQAdapter(queue));
  }
}
