import type { OnApplicationBootstrap, Type } from '@nestjs/common';
import { applyQueueName, type QueueJob } from '@bulkops/contracts';
import { Consumes, QueueProcessor } from '@bulkops/queue';
import { ApplyChunkService } from './apply-chunk.service';

/**
 * The processor of one apply queue. Generated per object type named in WORKER_OBJECTS, so a
 * replica can consume any subset of the queues with its own concurrency.
 */
export function applyProcessorFor(
  objectType: string,
  concurrency: number,
): Type<QueueProcessor<'apply'>> {
  @Consumes(applyQueueName(objectType), ['apply-chunk'], { concurrency })
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
