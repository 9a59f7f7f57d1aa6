import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isActiveStatus, JobStatus } from '@bulkops/contracts';
import {
  ChunkRepository,
  ChunkSettlementRepository,
  JobRepository,
  NotAppliedReason,
  LedgerRepository,
  type JobEntity,
} from '@bulkops/database';
import { OrgLock } from '@bulkops/mutex';
import { Metrics } from '@bulkops/observability';
import { ChunkDispatcher } from './chunk-dispatcher.service';

/**
 * Derives a job's counts from the chunk ledger (never by adding up events, which may arrive twice
 * or out of order), decides its final status, and then releases the organization's lock; while the
 * job runs it renews the lock and keeps its chunks flowing.
 */
@Injectable()
export class JobProgressService {
  private readonly logger = new Logger(JobProgressService.name);
  private readonly finished = this.metrics.counter(
    'bulkops_jobs_finished_total',
    'Jobs that reached a final status',
    ['object', 'status'],
  );

  constructor(
    private readonly dataSource: DataSource,
    private readonly jobs: JobRepository,
    private readonly chunks: ChunkRepository,
    private readonly settlement: ChunkSettlementRepository,
    private readonly ledger: LedgerRepository,
    private readonly lock: OrgLock,
    private readonly dispatcher: ChunkDispatcher,
    private readonly metrics: Metrics,
  ) {}

  async refresh(orgId: string, jobId: string): Promise<void> {
    await this.settleCancelled(orgId, jobId);
    const decision = await this.dataSource.transaction(async (manager) => {
      const job = await this.jobs.lockForUpdate(manager, orgId, jobId);
      if (!job) return null;
      if (!isActiveStatus(job.status)) return { job, finalStatus: job.status, changed: false };
      const totals = await this.ledger.totals(manager, orgId, jobId);
      let finalStatus: JobStatus | null = null;
      const allSettled = job.chunkCount !== null && totals.chunks >= job.chunkCount;
      if (job.failureCode) {
        finalStatus = JobStatus.Failed;
      } else if (job.cancelRequestedAt && allSettled) {
        finalStatus = JobStatus.Cancelled;
      } else if (allSettled) {
        finalStatus = totals.failed > 0 ? JobStatus.CompletedWithErrors : JobStatus.Completed;
      }
      const moved = totals.rows !== job.processedRows;
      await this.jobs.saveProgress(
        manager,
        orgId,
        jobId,
        totals,
        finalStatus,
        moved || finalStatus !== null,
      );
      return { job, finalStatus, changed: finalStatus !== null };
    });
    if (!decision) return;
    const { job, finalStatus, changed } = decision;
    if (finalStatus !== null && !isActiveStatus(finalStatus)) {
      await this.finish(job, finalStatus, changed);
      return;
    }
    await this.lock.renew(job.organizationId, job.id);
    if (job.chunkCount !== null) await this.dispatcher.topUp(job);
  }

  /**
   * A cancelled job whose upload was read: every chunk not applied yet becomes row errors saying so
   * (each in its own transaction, outside the job's lock, so a worker finishing a chunk never waits
   * on us while holding it). The cancel committed first, so no worker commits a chunk after this.
   * Before ingest released the chunks there is nothing to settle yet: ingest finishes reading, so
   * the error file holds every row, and its nudge brings us back here.
   */
  private async settleCancelled(orgId: string, jobId: string): Promise<void> {
    const job = await this.jobs.find(orgId, jobId);
    if (!job?.cancelRequestedAt || !isActiveStatus(job.status)) return;
    if (job.chunkCount === null || job.failureCode) return;
    const rows = await this.settlement.settleAll(orgId, jobId, NotAppliedReason.cancelled);
    if (rows > 0) this.logger.log({ orgId, jobId, rows }, 'cancelled job: rows not applied');
  }

  /** Releases what a finished job held. Safe to repeat (a duplicate nudge after the end). */
  private async finish(job: JobEntity, status: JobStatus, justFinished: boolean): Promise<void> {
    await this.lock.release(job.organizationId, job.id);
    await this.chunks.deleteForJob(job.organizationId, job.id);
    if (justFinished) {
      this.finished.inc({ object: job.object, status });
      this.logger.log(
        { orgId: job.organizationId, jobId: job.id, object: job.object, status },
        `job finished ${status}`,
      );
    }
  }
}
