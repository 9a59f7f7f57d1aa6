import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RowCounts } from '@bulkops/contracts';

/** What applying one chunk did: its ledger row. */
export interface ChunkOutcome extends RowCounts {
  seq: number;
  rows: number;
}

/** The ledger of a job summed up: how many chunks were applied and what they did. */
export interface LedgerTotals extends RowCounts {
  chunks: number;
  rows: number;
}

/**
 * The chunk ledger: the proof, written in the chunk's own transaction, that a chunk was applied,
 * and the only source of a job's counts. Every method is scoped to one organization.
 */
@Injectable()
export class LedgerRepository {
  async has(manager: EntityManager, orgId: string, jobId: string, seq: number): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `SELECT 1 FROM chunk_ledger WHERE organization_id = $1 AND job_id = $2 AND seq = $3`,
      [orgId, jobId, seq],
    );
    return rows.length > 0;
  }

  /**
   * Writes a chunk's ledger row, under its chunk's object type (so a bundle's counts split by type);
   * nothing when the job is not the organization's.
   */
  async record(
    manager: EntityManager,
    orgId: string,
    jobId: string,
    outcome: ChunkOutcome,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO chunk_ledger (organization_id, job_id, seq, object, rows, created, updated, deleted, unchanged, failed)
       SELECT j.organization_id, j.id, $3,
              coalesce((SELECT c.object FROM chunk c WHERE c.job_id = j.id AND c.seq = $3), j.object),
              $4, $5, $6, $7, $8, $9 FROM job j
        WHERE j.organization_id = $1 AND j.id = $2`,
      [
        orgId,
        jobId,
        outcome.seq,
        outcome.rows,
        outcome.created,
        outcome.updated,
        outcome.deleted,
        outcome.unchanged,
        outcome.failed,
      ],
    );
  }

  /** Sums the ledger of a job. */
  async totals(manager: EntityManager, orgId: string, jobId: string): Promise<LedgerTotals> {
    const [row] = await manager.query<LedgerTotals[]>(
      `SELECT count(*)::int AS chunks, coalesce(sum(rows), 0)::int AS rows, coalesce(sum(created), 0)::int AS created,
              coalesce(sum(updated), 0)::int AS updated, coalesce(sum(deleted), 0)::int AS deleted,
              coalesce(sum(unchanged), 0)::int AS unchanged, coalesce(sum(failed), 0)::int AS failed
         FROM chunk_ledger WHERE organization_id = $1 AND job_id = $2`,
      [orgId, jobId],
    );
    return row;
  }
}
