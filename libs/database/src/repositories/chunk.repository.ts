import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { BundleTarget, RowProblem } from '@bulkops/objects';

/** Where a row of a media upload came from: a zip entry, and its manifest line when it has one. */
export interface RowSource {
  file: string;
  line: number | null;
  /** How a message about another row points at this one, after "is also". */
  where: string;
}

/**
 * The state a staged row expects its object in when it is applied; if the object is in another
 * state, the row is left alone and reported (an undo never overwrites what changed after its job).
 */
export interface ExpectedState {
  /** Canonical values in declaration order the object must hold, or null: it must not exist. */
  values: (string | null)[] | null;
  /** The job after which the object must not have changed, for the message. */
  since: string;
}

/** One staged row: raw cells in declaration order (Action last) and where it came from. */
export interface StagedRow {
  /** Line number in its file, header = 1; for a media row, its position, which orders the report. */
  line: number;
  cells: (string | null)[];
  /**
   * Problems found by ingest (a CSV row's cells beyond the header; a media row's own); the worker
   * records them instead of applying the row. A row staged without them is checked by the worker.
   */
  problems?: RowProblem[];
  /** Set when the row is not a line of its job file (a media zip's entry); the report shows it. */
  source?: RowSource;
  /** Content column values by field, for rows of a media upload that carry content. */
  content?: Record<string, unknown>;
  /** The object's state the row may be applied over (rows built from change records). */
  expected?: ExpectedState;
}

/** A bundle's row that others may reference, with the line it is on (see BundleTarget). */
export interface StagedTarget extends BundleTarget {
  line: number;
}

/**
 * A chunk's rows as one JSON array in UTF-8, `count` rows long, the form they are staged in: bytes,
 * so a stager can write each row as it arrives (JsonArrayWriter) and no row object lives until its
 * chunk is full (ChunkStager).
 */
export interface SerializedRows {
  json: Buffer;
  count: number;
}

/** Rows already in hand, as a chunk stages them. */
export function serializeRows(rows: readonly StagedRow[]): SerializedRows {
  return { json: Buffer.from(JSON.stringify(rows)), count: rows.length };
}

/** A chunk ready to be staged. */
export interface StagedChunk {
  jobId: string;
  seq: number;
  fileOrdinal: number;
  /** The object type of its rows; the job's by default. */
  object?: string;
  /** Its place in the job's apply order; 0 by default (every chunk of a single-type job). */
  phase?: number;
  rows: SerializedRows;
  keys: (string | null)[];
  /** A bundle's create rows of the chunk, recorded for references from later types. */
  targets?: StagedTarget[];
}

/** A chunk as the worker reads it. */
export interface ChunkForApply {
  seq: number;
  fileOrdinal: number;
  rows: StagedRow[];
  rejections: Record<string, RowProblem> | null;
}

/** A chunk claimed for dispatch: its queue (by object type) and the attempt number of its id. */
export interface ClaimedChunk {
  seq: number;
  object: string;
  attempt: number;
  first: boolean;
}

/**
 * One row of a job whose key is on other rows too, as `streamDuplicateKeys` answers them: grouped by
 * key, the key's places in file and row order (`nth` counts from 1). The first places of each key
 * carry where they are (`line`, `source`) and the first carries its cells, for messages that name
 * a few of them; the others carry only their chunk position.
 */
export interface DuplicatePlace {
  key: string;
  seq: number;
  index: number;
  fileOrdinal: number;
  /** How many rows of the job have this key. */
  copies: number;
  nth: number;
  line: number | null;
  cells: (string | null)[] | null;
  source: RowSource | null;
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
    // The rows (about a megabyte) are the last parameter: the driver grows its message buffer by
    // copying what it holds, so a parameter bound after them would copy them once more.
    await this.dataSource.query(
      `WITH staged AS (
         INSERT INTO chunk (organization_id, job_id, seq, file_ordinal, object, phase, row_count, rows, keys)
         SELECT j.organization_id, j.id, $3, $4, coalesce($7, j.object), $8, $5, $10::json, $6 FROM job j
          WHERE j.organization_id = $1 AND j.id = $2
         RETURNING organization_id, job_id, object
       )
       INSERT INTO bundle_target (organization_id, job_id, object, key_norm, leaf_norm, key_display, file_ordinal, line, place, "values")
       SELECT s.organization_id, s.job_id, s.object, t."keyNorm", t."leafNorm", t."keyDisplay", $4, t.line, t.place, t."values"
         FROM staged s, json_to_recordset($9::json)
           AS t("keyNorm" text, "leafNorm" text, "keyDisplay" text, line int, place text, "values" jsonb)`,
      [
        orgId,
        chunk.jobId,
        chunk.seq,
        chunk.fileOrdinal,
        chunk.rows.count,
        chunk.keys,
        chunk.object ?? null,
        chunk.phase ?? 0,
        JSON.stringify(chunk.targets ?? []),
        chunk.rows.json,
      ],
    );
  }

  /**
   * Forgets every staged chunk of a job, and the bundle targets recorded with them (a failed
   * upload, a fresh start after a crash, or a finished job).
   */
  async deleteForJob(orgId: string, jobId: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM chunk WHERE organization_id = $1 AND job_id = $2`, [
      orgId,
      jobId,
    ]);
    await this.dataSource.query(
      `DELETE FROM bundle_target WHERE organization_id = $1 AND job_id = $2`,
      [orgId, jobId],
    );
  }

  /**
   * Whether any key is on more than one of the job's rows of `object`: one hash aggregate, which
   * spares the common upload without duplicates the sorted, windowed stream below.
   */
  async hasDuplicateKeys(orgId: string, jobId: string, object: string): Promise<boolean> {
    const [row] = await this.dataSource.query<{ duplicated: boolean }[]>(
      `SELECT EXISTS (
         SELECT 1 FROM chunk c, unnest(c.keys) AS k(key)
          WHERE c.organization_id = $1 AND c.job_id = $2 AND coalesce(c.object, $3) = $3
            AND k.key IS NOT NULL
          GROUP BY k.key HAVING count(*) > 1
       ) AS duplicated`,
      [orgId, jobId, object],
    );
    return row.duplicated;
  }

  /**
   * Every row of the job's rows of `object` whose key is on another row of that type too, streamed from a server-side cursor in key
   * order, so neither side ever holds all places of a key: Postgres groups and counts, and reads the
   * row data (line, cells, source) only of each key's first `located` places. The caller must
   * consume the stream and then call `release`.
   */
  async streamDuplicateKeys(
    orgId: string,
    jobId: string,
    object: string,
    located: number,
  ): Promise<{ places: AsyncIterable<DuplicatePlace>; release: () => Promise<void> }> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const stream = await runner.stream(
        `WITH keyed AS (
           SELECT k.key, c.seq, (k.ord - 1)::int AS index, c.file_ordinal,
                  count(*) OVER (PARTITION BY k.key) AS copies,
                  row_number() OVER (PARTITION BY k.key ORDER BY c.seq, k.ord) AS nth
             FROM chunk c, unnest(c.keys) WITH ORDINALITY AS k(key, ord)
            WHERE c.organization_id = $1 AND c.job_id = $2 AND coalesce(c.object, $4) = $4
              AND k.key IS NOT NULL
         ), duplicated AS (
           SELECT * FROM keyed WHERE copies > 1
         ), located AS (
           SELECT c.seq, (r.ord - 1)::int AS index, r.row
             FROM chunk c, json_array_elements(c.rows) WITH ORDINALITY AS r(row, ord)
            WHERE c.organization_id = $1 AND c.job_id = $2 AND c.seq IN (SELECT seq FROM duplicated WHERE nth <= $3)
         )
         SELECT d.key, d.seq, d.index, d.file_ordinal AS "fileOrdinal", d.copies::int AS copies,
                d.nth::int AS nth, (l.row->>'line')::int AS line,
                CASE WHEN d.nth = 1 THEN l.row->'cells' END AS cells, l.row->'source' AS source
           FROM duplicated d
           LEFT JOIN located l ON d.nth <= $3 AND l.seq = d.seq AND l.index = d.index
          ORDER BY d.key, d.nth`,
        [orgId, jobId, located, object],
      );
      return {
        places: stream as AsyncIterable<DuplicatePlace>,
        release: async () => {
          stream.destroy();
          await runner.release();
        },
      };
    } catch (error) {
      await runner.release();
      throw error;
    }
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

  /**
   * Claims the chunks of the job's dispatch window (the first `window` chunks without a ledger row
   * of its lowest phase that has any: a bundle's next type waits until the one before is applied)
   * that need sending: never sent (`first`), or whose last delivery is older than `staleMs` (a
   * message or a worker may be lost). Claiming refreshes the delivery time, so concurrent callers
   * never claim the same chunk twice. Chunks a worker holds right now are alive and skipped, without
   * waiting for it. Answers each claimed chunk's current attempt number.
   */
  async claimForDispatch(
    orgId: string,
    jobId: string,
    window: number,
    staleMs: number,
  ): Promise<ClaimedChunk[]> {
    const [rows]: [ClaimedChunk[]] = await this.dataSource.query(
      `WITH pending AS (
         SELECT c.seq, c.phase FROM chunk c
          WHERE c.organization_id = $1 AND c.job_id = $2
            AND NOT EXISTS (SELECT 1 FROM chunk_ledger l WHERE l.job_id = c.job_id AND l.seq = c.seq)
       ), due AS (
         SELECT seq FROM pending WHERE phase = (SELECT min(phase) FROM pending)
          ORDER BY seq LIMIT $3
       ), free AS (
         SELECT c.seq, c.dispatched_at IS NULL AS first FROM chunk c JOIN due ON due.seq = c.seq
          WHERE c.job_id = $2
            AND (c.dispatched_at IS NULL OR c.dispatched_at < now() - make_interval(secs => $4::float8 / 1000))
          FOR UPDATE OF c SKIP LOCKED
       )
       UPDATE chunk c SET dispatched_at = now()
         FROM free WHERE c.job_id = $2 AND c.seq = free.seq
       RETURNING c.seq, coalesce(c.object, (SELECT j.object FROM job j WHERE j.id = c.job_id)) AS object,
                 c.attempt, free.first`,
      [orgId, jobId, window, staleMs],
    );
    return rows.sort((a, b) => a.seq - b.seq);
  }

  /** The next attempt number of a chunk whose last queue job is lost: its re-send gets a new id. */
  async nextAttempt(orgId: string, jobId: string, seq: number): Promise<number | null> {
    const [rows]: [{ attempt: number }[]] = await this.dataSource.query(
      `UPDATE chunk SET attempt = attempt + 1
        WHERE organization_id = $1 AND job_id = $2 AND seq = $3 RETURNING attempt`,
      [orgId, jobId, seq],
    );
    return rows[0]?.attempt ?? null;
  }

  /**
   * A worker takes the chunk up: counts the try and refreshes its delivery time. Answers the tries
   * so far and why the last one failed, or null when the chunk is gone (its job finished).
   */
  async noteTry(
    orgId: string,
    jobId: string,
    seq: number,
  ): Promise<{ tries: number; lastFailure: string | null } | null> {
    const [rows]: [{ tries: number; last_failure: string | null }[]] = await this.dataSource.query(
      `UPDATE chunk SET tries = tries + 1, dispatched_at = now()
        WHERE organization_id = $1 AND job_id = $2 AND seq = $3
       RETURNING tries, last_failure`,
      [orgId, jobId, seq],
    );
    const row = rows[0];
    return row ? { tries: row.tries, lastFailure: row.last_failure } : null;
  }

  /** Why the last try of a chunk failed, kept for the message if it never applies. */
  async noteFailure(orgId: string, jobId: string, seq: number, failure: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE chunk SET last_failure = $4 WHERE organization_id = $1 AND job_id = $2 AND seq = $3`,
      [orgId, jobId, seq, failure.slice(0, 500)],
    );
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
