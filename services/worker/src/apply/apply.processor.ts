import type { OnApplicationBootstrap, Type } from '@nestjs/common';
import { applyQueueName, type QueueJob } from '@bulkops/contracts';
import { Consumes, QueueProcessor } from '@bulkops/queue';
import { ApplyChunkService } from './apply-chunk.service';

/**
 * How soon BullMQ notices a chunk whose worker died: its lock lapses after 10 s (renewed every 5 s
 * while the chunk runs) and stalled jobs are looked for every 5 s, instead of 30 s each. Recovery
 * does not depend on it (status re-dispatches from Postgres), but a restarted worker picks its own
 * stalled chunks up sooner. A false stall (an event loop busy past the lock) costs a duplicate
 * delivery, which the ledger skips.
 */
const STALL_DETECTION = { lockDuration: 10_000, stalledInterval: 5_000 };

/**
 * The processor of one apply queue. Generated per object type named in WORKER_OBJECTS, so a
 * replica can consume any subset of the queues with its own concurrency.
 */
export function applyProcessorFor(
  objectType: string,
  concurrency: number,
): Type<QueueProcessor<'apply'>> {
  @Consumes(applyQueueName(objectType), ['apply-chunk'], { concurrency, ...STALL_DETECTION })
  class ApplyProcessor extends QueueProcessor<'apply'> implements OnApplicationBootstrap {
    constructor(private readonly applyChunk: ApplyChunkService) {
      super();
    }

    async onApplicationBootstrap(): Promise<void> {
      await this.worker.waitUntilReady();
    }

    protected async handle(job: QueueJob<'apply'>): Promise<void> {
      switch (job.name) {
        case 'apply-chunk':
          return this.applyChunk.apply(job.payload);
      }
    }
  }
  const pascal = objectType.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase());
  Object.defineProperty(ApplyProcessor, 'name', { value: `Apply${pascal}Processor` });
  return ApplyProcessor;
}
