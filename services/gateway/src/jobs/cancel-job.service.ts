import { Injectable, Logger } from '@nestjs/common';
import { BulkopsError, ErrorCode } from '@bulkops/contracts';
import { JobRepository, type JobEntity } from '@bulkops/database';
import { JobProducer } from '@bulkops/queue';

/**
 * Asks to cancel an active job (spec/api.md `POST /v1/jobs/{id}/cancel`): records the request in
 * Postgres, where the worker sees it before committing any further chunk, and nudges status, which
 * settles the chunks not applied as row errors and ends the job CANCELLED. A lost nudge only
 * delays that: the reaper finishes every job with a cancel request on its next tick.
 */
@Injectable()
export class CancelJobService {
  private readonly logger = new Logger(CancelJobService.name);

  constructor(
    private readonly jobs: JobRepository,
    private readonly producer: JobProducer,
  ) {}

  /** Answers the job as it is once the request is recorded. A repeated request changes nothing. */
  async cancel(orgId: string, jobId: string): Promise<JobEntity> {
    const outcome = await this.jobs.requestCancel(orgId, jobId);
    if (outcome === 'not-found') {
      throw new BulkopsError(ErrorCode.NotFound, 'No job has this id in your organization.');
    }
    if (outcome === 'not-active') {
      throw new BulkopsError(
        ErrorCode.JobNotActive,
        'The job has already finished, so there is nothing to cancel.',
        { jobId },
      );
    }
    this.logger.log({ orgId, jobId }, 'cancel requested');
    try {
      await this.producer.enqueue('cancel-requested', { jobId, orgId });
    } catch (error) {
      this.logger.warn({ orgId, jobId, err: error }, 'could not nudge status; the reaper will');
    }
    return (await this.jobs.find(orgId, jobId))!;
  }
}
