import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ErrorCode, JobStatus } from '@bulkops/contracts';
import { ChunkRepository, JobRepository } from '@bulkops/database';
import { OrgLock } from '@bulkops/mutex';
import { Metrics } from '@bulkops/observability';
import { JobProducer } from '@bulkops/queue';
import { StatusEnv } from '../status.env';
import { JobProgressService } from './job-progress.service';

/**
 * The periodic look at every active job. It keeps locks alive (and takes them again after a Redis
 * restart), recovers queue messages a lost Redis forgot (ingest, chunks, nudges — all derived from
 * Postgres, so re-sending is safe), and fails jobs that made no progress for STATUS_STUCK_AFTER_MS,
 * releasing their locks.
 */
@Injectable()
export class StuckJobReaper {
  private readonly logger = new Logger(StuckJobReaper.name);
  private readonly actions = this.metrics.counter(
    'bulkops_reaper_actions_total',
    'What the reaper did to active jobs: failed_stalled (no progress for STATUS_STUCK_AFTER_MS) or resent (queue messages re-sent after STATUS_RECOVER_AFTER_MS)',
    ['action'],
  );

  constructor(
    private readonly dataSource: DataSource,
    private readonly jobs: JobRepository,
    private readonly chunks: ChunkRepository,
    private readonly lock: OrgLock,
    private readonly producer: JobProducer,
    private readonly progress: JobProgressService,
    private readonly env: StatusEnv,
    private readonly metrics: Metrics,
  ) {}

  async reap(now = Date.now()): Promise<void> {
    for (const job of await this.jobs.listActiveAcrossOrganizations()) {
      const idleMs = now - job.progressedAt.getTime();
      if (idleMs > this.env.statusStuckAfterMs) {
        await this.dataSource.transaction((manager) =>
          this.jobs.failStalled(manager, job.organizationId, job.id, {
            code: ErrorCode.JobStalled,
            message: `The job made no progress for ${Math.round(idleMs / 60_000)} minutes and was stopped; rows applied before that stay applied (see counts). Submit the remaining rows again.`,
            file: null,
          }),
        );
        await this.lock.release(job.organizationId, job.id);
        await this.chunks.deleteForJob(job.organizationId, job.id);
        this.actions.inc({ action: 'failed_stalled' });
        this.logger.warn({ orgId: job.organizationId, jobId: job.id }, 'failed a stalled job');
        continue;
      }
      await this.lock.renew(job.organizationId, job.id);
      // A cancel request whose nudge was lost is finished here, without waiting to look idle.
      if (job.cancelRequestedAt) await this.progress.refresh(job.organizationId, job.id);
      if (idleMs < this.env.statusRecoverAfterMs) continue;
      this.actions.inc({ action: 'resent' });
      this.logger.log(
        { orgId: job.organizationId, jobId: job.id, idleMs },
        'job made no progress for a while; re-sending its queue messages from Postgres',
      );
      if (job.status === JobStatus.New || job.ingestedAt === null) {
        await this.producer.enqueue('ingest-upload', { jobId: job.id, orgId: job.organizationId });
      } else {
        await this.progress.refresh(job.organizationId, job.id);
      }
    }
  }
}
