import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ErrorCode, type JobFailure } from '@bulkops/contracts';
import {
  ChunkRepository,
  ChunkSettlementRepository,
  JobRepository,
  LedgerRepository,
  type JobEntity,
} from '@bulkops/database';
import { OrgLock } from '@bulkops/mutex';
import { JobProducer } from '@bulkops/queue';
import { StatusEnv } from '../status.env';
import { JobProgressService } from './job-progress.service';
import { RecoveryMetrics } from './recovery-metrics';

/** Sends of one upload to ingest before the job is failed: ingest died reading it every time. */
const MAX_INGEST_ATTEMPTS = 10;

/**
 * The periodic look at every active job, driven from Postgres' record (nothing in Redis needs to
 * survive for it to work). It keeps locks alive (and takes them again after a Redis restart), sends
 * an upload whose ingest died to ingest again after STATUS_RECOVER_AFTER_MS, refreshes every released
 * job (which re-dispatches chunks whose delivery went stale, settles cancels and finishes jobs whose
 * last nudge was lost), and ends jobs that made no progress for STATUS_STUCK_AFTER_MS: FAILED when
 * nothing was applied, otherwise COMPLETED_WITH_ERRORS with the rows not applied as row errors.
 */
@Injectable()
export class StuckJobReaper {
  private readonly logger = new Logger(StuckJobReaper.name);
  private readonly actions = this.recovery.actions;

  constructor(
    private readonly dataSource: DataSource,
    private readonly jobs: JobRepository,
    private readonly chunks: ChunkRepository,
    private readonly ledger: LedgerRepository,
    private readonly settlement: ChunkSettlementRepository,
    private readonly lock: OrgLock,
    private readonly producer: JobProducer,
    private readonly progress: JobProgressService,
    private readonly env: StatusEnv,
    private readonly recovery: RecoveryMetrics,
  ) {}

  async reap(now = Date.now()): Promise<void> {
    for (const job of await this.jobs.listActiveAcrossOrganizations()) {
      const idleMs = now - job.progressedAt.getTime();
      if (idleMs > this.env.statusStuckAfterMs) {
        await this.endStalled(job, idleMs);
        continue;
      }
      await this.lock.renew(job.organizationId, job.id);
      if (job.ingestedAt === null) {
        if (idleMs >= this.env.statusRecoverAfterMs) await this.resendIngest(job, idleMs);
      } else {
        await this.progress.refresh(job.organizationId, job.id);
      }
    }
  }

  /** Sends the upload to ingest again, as a new queue job; gives up after a few sends. */
  private async resendIngest(job: JobEntity, idleMs: number): Promise<void> {
    const { organizationId: orgId, id: jobId } = job;
    if (job.ingestAttempt + 1 >= MAX_INGEST_ATTEMPTS) {
      await this.fail(job, {
        code: ErrorCode.JobStalled,
        message: `The upload could not be read: ingest stopped ${MAX_INGEST_ATTEMPTS} times while reading it. Nothing was applied; submit the file again, and tell us if it keeps happening.`,
        file: null,
      });
      return;
    }
    const attempt = await this.jobs.nextIngestAttempt(orgId, jobId);
    if (attempt === null) return;
    this.actions.inc({ action: 'resent' });
    this.logger.log(
      { orgId, jobId, idleMs, attempt },
      'upload not read and no sign of ingest; sending it to ingest again',
    );
    await this.producer.enqueue('ingest-upload', { jobId, orgId, attempt });
  }

  /**
   * A job without progress for STATUS_STUCK_AFTER_MS. FAILED promises that no row was applied, so a
   * job with applied chunks instead settles the rest as row errors and completes with errors.
   */
  private async endStalled(job: JobEntity, idleMs: number): Promise<void> {
    const { organizationId: orgId, id: jobId } = job;
    const minutes = Math.round(idleMs / 60_000);
    const failure: JobFailure = {
      code: ErrorCode.JobStalled,
      message: `The job made no progress for ${minutes} minutes and was stopped; nothing was applied. Submit the file again.`,
      file: null,
    };
    // The job's row lock waits for any chunk commit under way (and holds off new ones), so the ledger
    // read after it is the truth about whether anything was applied.
    const failed = await this.dataSource.transaction(async (manager) => {
      if (!(await this.jobs.lockForUpdate(manager, orgId, jobId))) return false;
      if ((await this.ledger.totals(manager, orgId, jobId)).chunks > 0) return false;
      await this.jobs.failStalled(manager, orgId, jobId, failure);
      return true;
    });
    if (failed) {
      await this.released(job, 'failed_stalled', failure.message);
      return;
    }
    const reason = `Not applied: the job made no progress for ${minutes} minutes and was stopped before this row was applied; it can be uploaded again.`;
    await this.settlement.settleAll(orgId, jobId, reason);
    await this.progress.refresh(orgId, jobId);
    this.actions.inc({ action: 'settled_stalled' });
    this.logger.warn(
      { orgId, jobId },
      'stopped a stalled job; its rows not applied are row errors',
    );
  }

  private async fail(job: JobEntity, failure: JobFailure): Promise<void> {
    await this.dataSource.transaction((manager) =>
      this.jobs.failStalled(manager, job.organizationId, job.id, failure),
    );
    await this.released(job, 'failed_stalled', failure.message);
  }

  /** Lets go of what a job the reaper ended held. */
  private async released(job: JobEntity, action: string, message: string): Promise<void> {
    await this.lock.release(job.organizationId, job.id);
    await this.chunks.deleteForJob(job.organizationId, job.id);
    this.actions.inc({ action });
    this.logger.warn({ orgId: job.organizationId, jobId: job.id }, message);
  }
}
