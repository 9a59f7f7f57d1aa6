import { Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { WorkerHost } from '@nestjs/bullmq';
import { UnrecoverableError, type Job } from 'bullmq';
import { isBulkopsError, type JobName, type PayloadOf } from '@bulkops/contracts';

/**
 * Base of every processor: one per queue, named after it. Subclasses implement `handle` as an
 * exhaustive switch on the job name, one service call per branch. Errors are classified here, at the
 * edge: a non-retryable BulkopsError fails the job at once (reason kept), anything else is retried
 * with the queue's backoff. Errors are logged once, here.
 *
 * On shutdown the consumer stops taking jobs and waits for its active ones, before the HTTP server,
 * Redis and Postgres close (the service's grace period bounds the wait; see `stopService`).
 */
export abstract class QueueProcessor extends WorkerHost implements BeforeApplicationShutdown {
  protected readonly logger = new Logger(this.constructor.name);

  protected abstract handle<N extends JobName>(name: N, payload: PayloadOf<N>): Promise<void>;

  async beforeApplicationShutdown(): Promise<void> {
    const worker = this.worker;
    this.logger.log(
      { queue: worker.name },
      `stopped taking jobs from ${worker.name}; letting active ones finish`,
    );
    await worker.close();
  }

  async process(job: Job): Promise<void> {
    try {
      await this.handle(job.name as JobName, job.data as PayloadOf<JobName>);
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
}
