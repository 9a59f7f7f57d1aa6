import { Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { WorkerHost } from '@nestjs/bullmq';
import { UnrecoverableError, type Job } from 'bullmq';
import { isBulkopsError, type QueueJob, type QueueKind } from '@bulkops/contracts';
import { consumerDeclaration } from './consumes';

/**
 * Base of every processor: one per queue, named after it, declared with `@Consumes`. Subclasses
 * implement `handle` as an exhaustive switch (no `default`) over the jobs of their kind of queue,
 * one service call per branch: the name narrows the payload, so no branch casts. Errors are
 * classified here, at the edge: a non-retryable BulkopsError fails the job at once (reason kept),
 * anything else is retried with the queue's backoff. Errors are logged once, here.
 *
 * On shutdown the consumer stops taking jobs and waits for its active ones, before the HTTP server,
 * Redis and Postgres close (the service's grace period bounds the wait; see `stopService`).
 */
export abstract class QueueProcessor<K extends QueueKind>
  extends WorkerHost
  implements BeforeApplicationShutdown
{
  protected readonly logger = new Logger(this.constructor.name);

  protected abstract handle(job: QueueJob<K>): Promise<void>;

  async beforeApplicationShutdown(): Promise<void> {
    let worker: WorkerHost['worker'];
    try {
      worker = this.worker;
    } catch {
      return; // never registered: the service was refused at start-up (ConsumerRegistrar)
    }
    this.logger.log(
      { queue: worker.name },
      `stopped taking jobs from ${worker.name}; letting active ones finish`,
    );
    await worker.close();
  }

  async process(job: Job): Promise<void> {
    try {
      await this.handle(this.declared(job));
    } catch (error) {
      const context = {
        job: job.name,
        bullJobId: job.id,
        attempt: job.attemptsMade + 1,
        ...(job.data as object),
      };
      if (isBulkopsError(error) && !error.retryable) {
        this.logger.error(
          { ...context, code: error.code, err: error },
          `${job.name} failed for good: ${error.message}`,
        );
        throw new UnrecoverableError(`${error.code}: ${error.message}`);
      }
      this.logger.warn({ ...context, err: error }, `${job.name} failed; it will be retried`);
      throw error;
    }
  }

  /**
   * The job as its handler sees it. A name this processor does not declare (a producer newer than
   * this replica) is an error to retry, never a job silently completed by a switch without its case.
   */
  private declared(job: Job): QueueJob<K> {
    const handles = consumerDeclaration(this.constructor)?.handles ?? [];
    if (!handles.some((name) => name === job.name)) {
      throw new Error(
        `${this.constructor.name} handles no job '${job.name}' on '${job.queueName}'`,
      );
    }
    return { name: job.name, payload: job.data as unknown } as QueueJob<K>;
  }
}
