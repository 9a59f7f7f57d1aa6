import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { RowProblem } from '@bulkops/objects';

/** Where a row of a media upload came from: a zip entry, and its manifest line when it has one. */
export interface RowSource {
  file: string;
  line: number | null;
  /** How a message about another row points at this one, after "is also". */
  where: string;
}

/** One staged row: raw cells in declaration order (Action last) and where it came from. */
export interface StagedRow {
  /** Line number in its file, header = 1; for a media row, its position, which orders the report. */
  line: number;
  cells: (string | null)[];
  /** Problems found by ingest; the worker records them instead of applying the row. */
  problems?: RowProblem[];
  /** Set when the row is not a line of its job file (a media zip's entry); the report shows it. */
  source?: RowSource;
  /** Content column values by field, for rows of a media upload that carry content. */
  content?: Record<string, unknown>;
}

/** A chunk ready to be staged. */
export interface StagedChunk {
  jobId: string;
  seq: number;
  fileOrdinal: number;
  rows: StagedRow[];
  keys: (string | null)[];
}

/** A chunk as the worker reads it. */
export interface ChunkForApply {
  seq: number;
  fileOrdinal: number;
  rows: StagedRow[];
  rejections: Record<string, RowProblem> | null;
}

/** Rows of one key found on several rows of a job. */
export interface DuplicateKey {
  key: string;
  places: {
    seq: number;
    index: number;
    fileOrdinal: number;
    line: number;
    cells: (string | null)[];
    source: RowSource | null;
  }[];
}

/**
 * Staged chunks: written by ingest, read by the worker, dispatched and recovered by status. Every
 * method is scoped to one organization, so another organization's job id finds and changes nothing.
 */
@Injectable()
export class ChunkRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** One INSERT per chunk, whatever its size; nothing when the job is not the organization's. */
  async stage(orgId: string, chunk: StagedChunk): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO chunk (organization_id, job_id, seq, file_ordinal, row_count, rows, keys)
       SELECT j.organization_id, j.id, $3, $4, $5, $6::json, $7 FROM job j
        WHERE j.organization_id = $1 AND j.id = $2`,
      [
        orgId,
        chunk.jobId,
        chunk.seq,
        chunk.fileOrdinal,
        chunk.rows.length,
        JSON.stringify(chunk.rows),
        chunk.keys,
      ],
    );
  }

  /** Forgets every staged chunk of a job (a failed upload, or a fresh start after a crash). */
  async deleteForJob(orgId: string, jobId: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM chunk WHERE organization_id = $1 AND job_id = $2`, [
      orgId,
      jobId,
    ]);
  }

  /**
   * Keys that occur on more than one row of the job, with every place they occur. Postgres does the
   * grouping, so ingest never holds all keys of a big upload in memory.
   */
  async findDuplicateKeys(orgId: string, jobId: string, limit: number): Promise<DuplicateKey[]> {
    const rows: { key: string; places: { seq: number; index: number }[] }[] =
      await this.dataSource.query(
        `SELECT k.key, json_agg(json_build_object('seq', c.seq, 'index', k.ord - 1) ORDER BY c.seq, k.ord) AS places
         FROM chunk c, unnest(c.keys) WITH ORDINALITY AS k(key, ord)
        WHERE c.organization_id = $1 AND c.job_id = $2 AND k.key IS NOT NULL
        GROUP BY k.key HAVING count(*) > 1
        ORDER BY min(c.seq), k.key
        LIMIT $3`,
        [orgId, jobId, limit],
      );
    if (rows.length === 0) return [];
    const seqs = [...new Set(rows.flatMap((r) => r.places.map((p) => p.seq)))];
    const located: {
      seq: number;
      file_ordinal: number;
      index: number;
      line: number;
      cells: (string | null)[];
      source: RowSource | null;
    }[] = await this.dataSource.query(
      `SELECT c.seq, c.file_ordinal, (r.ord - 1)::int AS index, (r.row->>'line')::int AS line, r.row->'cells' AS cells, r.row->'source' AS source
         FROM chunk c, json_array_elements(c.rows) WITH ORDINALITY AS r(row, ord)
        WHERE c.organization_id = $1 AND c.job_id = $2 AND c.seq = ANY($3)`,
      [orgId, jobId, seqs],
    );
    const where = new Map(located.map((l) => [`${l.seq}:${l.index}`, l]));
    return rows.map((r) => ({
      key: r.key,
      places: r.places.map((p) => {
        const l = where.get(`${p.seq}:${p.index}`)!;
        return {
          seq: p.seq,
          index: p.index,
          fileOrdinal: l.file_ordinal,
          line: l.line,
          cells: l.cells,
          source: l.source ?? null,
        };
      }),
    }));
  }

  /** Records problems found after staging (duplicate keys), merged with earlier ones. */
  async addRejections(
    orgId: string,
    jobId: string,
    seq: number,
    rejections: Record<string, RowProblem>,
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE chunk SET rejections = coalesce(rejections, '{}'::jsonb) || $4::jsonb
        WHERE organization_id = $1 AND job_id = $2 AND seq = $3`,
      [orgId, jobId, seq, JSON.stringify(rejections)],
    );
  }

  /**
   * Reads a chunk for applying and locks it, so two deliveries of the same chunk take turns: the
   * second sees the first one's ledger row and skips.
   */
  async lockForApply(
    manager: EntityManager,
    orgId: string,
    jobId: string,
    seq: number,
  ): Promise<ChunkForApply | null> {
    const rows: {
      seq: number;
      file_ordinal: number;
      rows: StagedRow[];
      rejections: Record<string, RowProblem> | null;
    }[] = await manager.query(
      `SELECT seq, file_ordinal, rows, rejections FROM chunk
        WHERE organization_id = $1 AND job_id = $2 AND seq = $3 FOR UPDATE`,
      [orgId, jobId, seq],
    );
    const row = rows[0];
    return row
      ? { seq: row.seq, fileOrdinal: row.file_ordinal, rows: row.rows, rejections: row.rejections }
      : null;
  }

  /** The first `limit` chunks of a job that have no ledger row yet: what still needs a worker. */
  async unappliedSeqs(orgId: string, jobId: string, limit: number): Promise<number[]> {
    const rows: { seq: number }[] = await this.dataSource.query(
      `SELECT c.seq FROM chunk c
        WHERE c.organization_id = $1 AND c.job_id = $2
          AND NOT EXISTS (SELECT 1 FROM chunk_ledger l WHERE l.job_id = c.job_id AND l.seq = c.seq)
        ORDER BY c.seq LIMIT $3`,
      [orgId, jobId, limit],
    );
    return rows.map((r) => r.seq);
  }
}
