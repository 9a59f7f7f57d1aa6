import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { FINAL_JOB_STATUSES } from '@bulkops/contracts';

/** A finished job whose retention ran out. */
export interface ExpiredJob {
  id: string;
  organizationId: string;
}

/**
 * What retention removes of finished jobs, and only of finished jobs: their row errors, change records,
 * ledger and staged chunks. It works across organizations on purpose (each job carries its organization);
 * objects, their media and every active job are out of its reach by construction.
 */
@Injectable()
export class JobRetentionRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Finished jobs that ended more than `days` ago and are not purged yet, oldest first. */
  async expiredAcrossOrganizations(days: number, limit: number): Promise<ExpiredJob[]> {
    return this.dataSource.query<ExpiredJob[]>(
      `SELECT id, organization_id AS "organizationId" FROM job
        WHERE purged_at IS NULL AND finished_at IS NOT NULL AND status = ANY($3)
          AND finished_at < now() - make_interval(days => $1)
        ORDER BY finished_at LIMIT $2`,
      [days, limit, FINAL_JOB_STATUSES],
    );
  }

  /**
   * Removes a finished job's row errors, change records, ledger, chunks and bundle targets, and
   * marks it purged, in one go.
   */
  async purge(job: ExpiredJob): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const [owned]: unknown[] = await manager.query(
        `SELECT 1 FROM job WHERE id = $1 AND organization_id = $2 AND status = ANY($3) FOR UPDATE`,
        [job.id, job.organizationId, FINAL_JOB_STATUSES],
      );
      if (!owned) return;
      for (const table of [
        'row_error',
        'job_change_chunk',
        'chunk_ledger',
        'chunk',
        'bundle_target',
      ]) {
        await manager.query(`DELETE FROM ${table} WHERE job_id = $1 AND organization_id = $2`, [
          job.id,
          job.organizationId,
        ]);
      }
      await manager.query(`UPDATE job SET purged_at = now() WHERE id = $1`, [job.id]);
    });
  }
}
