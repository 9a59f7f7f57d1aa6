import { Logger } from '@nestjs/common';
import { FINAL_JOB_STATUSES } from '@bulkops/contracts';
import type { JobEntity, JobRepository } from '@bulkops/database';
import type { JobViewService } from '../jobs/job-view.service';
import { CoalescingRunner } from './coalescing-runner';
import type { JobChangeListener } from './job-change-listener';
import type { SseStream } from './sse-stream';

/** Event names of the job stream. */
export const JobStreamEvent = { Progress: 'progress', Final: 'final' } as const;

/**
 * One client's `GET /v1/jobs/{id}/events`. Notifications are hints: on each, the job is re-read from
 * Postgres and sent when its `change_seq` is newer than the last one sent (or than the client's
 * `Last-Event-ID`). At a final status it sends the job as `progress` (when new) and then as `final`,
 * and ends the stream.
 */
export class JobEventStream {
  private readonly logger = new Logger(JobEventStream.name);
  private readonly runner = new CoalescingRunner(
    () => this.push(),
    (error) => {
      this.logger.error({ err: error, orgId: this.orgId, jobId: this.jobId }, 'job stream failed');
      this.stream.close();
    },
  );

  constructor(
    private readonly orgId: string,
    private readonly jobId: string,
    private lastSent: number,
    private readonly stream: SseStream,
    private readonly jobs: JobRepository,
    private readonly views: JobViewService,
    listener: JobChangeListener,
  ) {
    // Subscribed before the first read, so nothing committed in between goes unheard.
    const unsubscribe = listener.subscribe(orgId, {
      changed: (change) => {
        if (change.jobId === this.jobId && change.seq > this.lastSent) this.runner.request();
      },
      resync: () => this.runner.request(),
    });
    stream.onClose(unsubscribe);
    this.runner.request();
  }

  private async push(): Promise<void> {
    if (this.stream.isClosed) return;
    const job: JobEntity | null = await this.jobs.find(this.orgId, this.jobId);
    if (!job || this.stream.isClosed) return this.stream.close();
    const final = FINAL_JOB_STATUSES.includes(job.status);
    if (job.changeSeq <= this.lastSent && !final) return;
    const view = await this.views.viewOf(job);
    if (this.stream.isClosed) return;
    if (job.changeSeq > this.lastSent) {
      this.stream.send(JobStreamEvent.Progress, job.changeSeq, view);
      this.lastSent = job.changeSeq;
    }
    if (final) {
      this.stream.send(JobStreamEvent.Final, job.changeSeq, view);
      this.stream.close();
    }
  }
}
