import 'reflect-metadata';
import { Processor } from '@nestjs/bullmq';
import type { WorkerOptions } from 'bullmq';
import type { JobName, JobNameOn, QueueKindOf } from '@bulkops/contracts';
import type { QueueProcessor } from './queue-processor';

/** What a processor class declares: the queue it consumes and the job names it handles there. */
export interface ConsumerDeclaration {
  processor: string;
  queue: string;
  handles: readonly JobName[];
}

const CONSUMES = Symbol('bulkops:consumes');

/**
 * Makes a QueueProcessor the consumer of `queue` for the job names in `handles` (BullMQ's
 * `@Processor` plus a declaration the start-up check compares with the catalogue). The names must
 * travel on that queue, and the class must handle that queue's jobs: both are compile errors.
 */
export function Consumes<Q extends string>(
  queue: Q,
  handles: readonly JobNameOn<QueueKindOf<Q>>[],
  worker: Pick<WorkerOptions, 'concurrency' | 'lockDuration' | 'stalledInterval'> = {},
) {
  return (target: abstract new (...args: never[]) => QueueProcessor<QueueKindOf<Q>>): void => {
    Reflect.defineMetadata(CONSUMES, { queue, handles: [...handles] }, target);
    Processor(queue, worker)(target);
  };
}

/** The declaration of a processor class, or null for a class that is not one. */
export function consumerDeclaration(target: object): ConsumerDeclaration | null {
  const declared = Reflect.getMetadata(CONSUMES, target) as
    Omit<ConsumerDeclaration, 'processor'> | undefined;
  return declared ? { processor: (target as { name: string }).name, ...declared } : null;
}
