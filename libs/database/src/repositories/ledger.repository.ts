import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** What applying one chunk did. */
export interface ChunkOutcome {
  jobId: string;
  orgId: string;
  seq: number;
  rows: number;
  created: number;
  updated: number;
  deleted: number;
  unchanged: number;
  failed: number;
}

/** The chunk ledger: the proof, written in the chunk's own transaction, that a chunk was applied. */
@Injectable()
export class LedgerRepository {
  async has(manager: EntityManager, jobId: string, seq: number): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `SELECT 1 FROM chunk_ledger WHERE job_id = $1 AND seq = $2`,
      [jobId, seq],
    );
    return rows.length > 0;
  }

  async record(manager: EntityManager, outcome: ChunkOutcome): Promise<void> {
    await manager.query(
      `INSERT INTO chunk_ledger (job_id, seq, organization_id, rows, created, updated, deleted, unchanged, failed)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        outcome.jobId,
        outcome.seq,
        outcome.orgId,
        outcome.rows,
        outcome.created,
        outcome.updated,
        outcome.deleted,
        outcome.unchanged,
        outcome.failed,
      ],
    );
  }
}
