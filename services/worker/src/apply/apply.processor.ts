import { Processor } from '@nestjs/bullmq';
import type { OnApplicationBootstrap, Type } from '@nestjs/common';
import { applyQueueName, type JobName, type PayloadOf } from '@bulkops/contracts';
import { QueueProcessor } from '@bulkops/queue';
import { ApplyChunkService } from './apply-chunk.service';

/**
 * The processor of one apply queue. Generated per object type named in WORKER_OBJECTS, so a
 * replica can consume any subset of the queues with its own concurrency.
 */
export function applyProcessorFor(objectType: string, concurrency: number): Type<QueueProcessor> {
  @Processor(applyQueueName(objectType), { concurrency })
  class ApplyProcessor extends QueueProcessor implements OnApplicationBootstrap {
    constructor(private readonly applyChunk: ApplyChunkService) {
      super();
    }

    async onApplicationBootstrap(): Promise<void> {
      await this.worker.waitUntilReady();
    }

    protected async handle<N extends JobName>(name: N, payload: PayloadOf<N>): Promise<void> {
      switch (name) {
        case 'apply-chunk':
          return this.applyChunk.apply(payload as PayloadOf<'apply-chunk'>);
        default:
          throw new Error(`the ${applyQueueName(objectType)} queue has no job '${name}'`);
      }
    }
  }
  const pascal = objectType.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase());
  Object.defineProperty(ApplyProcessor, 'name', { value: `Apply${pascal}Processor` });
  return ApplyProcessor;
}
