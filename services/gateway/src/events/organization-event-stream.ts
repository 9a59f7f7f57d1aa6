import { Logger } from '@nestjs/common';
import type { JobChangeFeedRepository, JobEntity, JobRepository } from '@bulkops/database';
import type { JobViewService } from '../jobs/job-view.service';
import { CoalescingRunner } from './coalescing-runner';
import type { JobChangeListener } from './job-change-listener';
import type { SseStream } from './sse-stream';

/** Event names of the organization stream. */
export const OrganizationStreamEvent = { Ready: 'ready', Job: 'job' } as const;

const PAGE = 200;

/**
 * One client's `GET /v1/events`: a `job` event with the job JSON whenever any job of the
 * organization is created or changes. It reads "every job whose change_seq is past the last one
 * sent" from Postgres, so a burst of notifications costs one query, a resumed stream gets exactly
 * what it missed, and a notification lost with the listener's connection is made up by the
 * re-read that follows the reconnect. A fresh stream starts with a `ready` event whose id is the
 * organization's latest change: a client that reconnects with it misses nothing.
 */
export class OrganizationEventStream {
  private readonly logger = new Logger(OrganizationEventStream.name);
  /** Jobs whose notification arrived with a seq at or below the last sent (an out-of-order commit). */
  private readonly stragglers = new Set<string>();
  private readonly runner = new CoalescingRunner(
    () => this.push(),
    (error) => {
      this.logger.error({ err: error, orgId: this.orgId }, 'organization stream failed');
      this.stream.close();
    },
  );
  private lastSent: number;

  constructor(
    private readonly orgId: string,
    lastEventId: number | null,
    private readonly stream: SseStream,
    private readonly jobs: JobRepository,
    private readonly changes: JobChangeFeedRepository,
    private readonly views: JobViewService,
    listener: JobChangeListener,
  ) {
    this.lastSent = lastEventId ?? -1;
    const unsubscribe = listener.subscribe(orgId, {
      changed: (change) => {
        if (change.seq <= this.lastSent) this.stragglers.add(change.jobId);
        this.runner.request();
      },
      resync: () => this.runner.request(),
    });
    stream.onClose(unsubscribe);
    this.runner.request();
  }

  private async push(): Promise<void> {
    if (this.lastSent < 0) {
      this.lastSent = await this.changes.latestSeq(this.orgId);
      this.stream.send(OrganizationStreamEvent.Ready, this.lastSent, {
        latestChange: this.lastSent,
      });
      return;
    }
    for (;;) {
      const changed = await this.changes.changedSince(this.orgId, this.lastSent, PAGE);
      await this.send(changed);
      if (changed.length < PAGE || this.stream.isClosed) break;
    }
    const late = [...this.stragglers];
    this.stragglers.clear();
    const found = await Promise.all(late.map((id) => this.jobs.find(this.orgId, id)));
    await this.send(found.filter((job): job is JobEntity => job !== null));
  }

  private async send(jobs: JobEntity[]): Promise<void> {
    if (jobs.length === 0 || this.stream.isClosed) return;
    const views = await this.views.viewsOf(this.orgId, jobs);
    jobs.forEach((job, i) => {
      this.stream.send(OrganizationStreamEvent.Job, job.changeSeq, views[i]);
      this.lastSent = Math.max(this.lastSent, job.changeSeq);
    });
  }
}
