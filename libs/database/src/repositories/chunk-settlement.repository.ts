import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ErrorCode } from '@bulkops/contracts';
import { joinProblems } from '@bulkops/objects';
import { ChunkRepository, type ChunkForApply } from './chunk.repository';
import { LedgerRepository } from './ledger.repository';
import { RowErrorRepository, type RejectedRow } from './row-error.repository';

/** Why the rows of a chunk were never applied: the sentence each of them carries in the error file. */
export const NotAppliedReason = {
  cancelled:
    'Not applied: the job was cancelled before this row was applied; upload it again to apply it.',
  unappliable: (attempts: number, cause: string) =>
    `Not applied: this row's part of the file could not be applied after ${attempts} attempts (${cause}); nothing of it was changed, and it can be uploaded again.`,
};

/**
 * Settles a chunk that will never be applied (its job was cancelled, or it failed for good): its
 * rows become the job's row errors, and the chunk gets a ledger row counting them all as failed, in
 * one transaction. The ledger row is what makes this exactly-once against the worker: whichever of
 * the two commits first owns the chunk, and the other finds the ledger row and leaves it alone. So
 * the job's counts stay a sum of the ledger, and its error file is exactly what remains to do. A row
 * ingest had already rejected keeps its own message: it needs that fix before it can be uploaded.
 */
@Injectable()
export class ChunkSettlementRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly chunks: ChunkRepository,
    private readonly ledger: LedgerRepository,
    private readonly rowErrors: RowErrorRepository,
  ) {}

  /** Settles one chunk; answers how many rows it settled, or null when it was applied or is gone. */
  async settle(orgId: string, jobId: string, seq: number, reason: string): Promise<number | null> {
    return this.dataSource.transaction(async (manager) => {
      const chunk = await this.chunks.lockForApply(manager, orgId, jobId, seq);
      if (!chunk || (await this.ledger.has(manager, orgId, jobId, seq))) return null;
      await this.rowErrors.insertMany(manager, orgId, jobId, unappliedRows(chunk, reason));
      const rows = chunk.rows.length;
      await this.ledger.record(manager, orgId, jobId, {
        seq,
        rows,
        created: 0,
        updated: 0,
        deleted: 0,
        unchanged: 0,
        failed: rows,
      });
      return rows;
    });
  }

  /** Settles every chunk of the job that has no ledger row; answers how many rows it settled. */
  async settleAll(orgId: string, jobId: string, reason: string): Promise<number> {
    let settled = 0;
    for (const seq of await this.chunks.unappliedSeqs(orgId, jobId, Number.MAX_SAFE_INTEGER)) {
      settled += (await this.settle(orgId, jobId, seq, reason)) ?? 0;
    }
    return settled;
  }
}

function unappliedRows(chunk: ChunkForApply, reason: string): RejectedRow[] {
  return chunk.rows.map((row, index) => {
    const rejection = chunk.rejections?.[String(index)];
    const earlier = [...(row.problems ?? []), ...(rejection ? [rejection] : [])];
    return {
      fileOrdinal: chunk.fileOrdinal,
      line: row.line,
      // The last resort must not fail on the data that made the chunk fail: a broken row keeps no cells.
      cells: Array.isArray(row.cells) ? row.cells : [],
      codes: earlier.length > 0 ? [...new Set(earlier.map((p) => p.code))] : [ErrorCode.NotApplied],
      message: earlier.length > 0 ? joinProblems(earlier) : reason,
      ...(row.source ? { source: row.source } : {}),
    };
  });
}
