import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { ChangeAction } from '../entities/job-change-chunk.entity';
import { JsonArrayWriter } from '../json-array-writer';
import { streamQuery, type StreamedRows } from './stream-query';

/** The chunk whose changes are recorded: what every one of its change rows shares. */
export interface ChangedChunk {
  seq: number;
  fileOrdinal: number;
  /** The object type of the chunk's rows. */
  object: string;
}

/** A change of one object, as the worker records it with its chunk. */
export interface ChangeToRecord {
  rowIndex: number;
  action: ChangeAction;
  objectId: string;
  keyDisplay: string;
  /** Canonical values before (update, delete), declaration order. */
  before: readonly (string | null)[] | null;
  /** Canonical values after (create, update), declaration order. */
  after: readonly (string | null)[] | null;
  sourceRow: number;
}

/** A recorded change as readers see it, with the name of the file its row came from. */
export interface RecordedChange {
  chunkSeq: number;
  rowIndex: number;
  object: string;
  action: ChangeAction;
  objectId: string;
  keyDisplay: string;
  before: (string | null)[] | null;
  after: (string | null)[] | null;
  sourceFile: string;
  sourceRow: number;
}

/** A recorded change as an undo reads it: what to restore, and which file of the job it came from. */
export interface ChangeToUndo {
  object: string;
  action: ChangeAction;
  keyDisplay: string;
  before: (string | null)[] | null;
  after: (string | null)[] | null;
  fileOrdinal: number;
  sourceRow: number;
}

/** Where a page of changes starts: after this change (changes are in chunk and row order). */
export interface ChangePosition {
  chunkSeq: number;
  rowIndex: number;
}

/** A job's changes as readers see them, from one chunk's array (`c`, expanded as `e`). */
const CHANGE_COLUMNS = `
  c.chunk_seq AS "chunkSeq", (e.change->>0)::int AS "rowIndex", c.object, e.change->>1 AS action,
  e.change->>2 AS "objectId", e.change->>3 AS "keyDisplay", e.change->4 AS before,
  e.change->5 AS after, f.name AS "sourceFile", (e.change->>6)::int AS "sourceRow"`;

/**
 * The change records of jobs: written by the worker with the chunk that made them, one row of
 * table job_change_chunk per chunk (migration StoreJobChangesByChunk), read back as a job's change
 * list (the preview of a validate job) and by an undo. Every read is scoped to one organization, so
 * another organization's job id finds nothing.
 */
@Injectable()
export class JobChangeRepository {
  /**
   * One writer for every chunk: it is filled and taken without awaiting in between, so concurrent
   * chunks never interleave in it, and after the first chunk it starts each array at full size.
   */
  private readonly array = new JsonArrayWriter();

  constructor(private readonly dataSource: DataSource) {}

  /**
   * Writes a chunk's changes, in row order, with one INSERT on the chunk's transaction: they commit
   * or roll back with the chunk and its ledger row. The caller has checked that the job is the
   * organization's. `changes` is read once and each is written as JSON as it comes, so no
   * chunk-long array of change objects is kept alive; nothing is written when there are none.
   */
  async record(
    manager: EntityManager,
    orgId: string,
    jobId: string,
    chunk: ChangedChunk,
    changes: Iterable<ChangeToRecord>,
  ): Promise<void> {
    const array = this.array;
    const objectIds: string[] = [];
    let lastIndex = -1;
    try {
      for (const c of changes) {
        // Readers page by place in the array: it must be row order.
        if (c.rowIndex <= lastIndex)
          throw new Error(`changes of chunk ${chunk.seq} out of row order`);
        lastIndex = c.rowIndex;
        objectIds.push(c.objectId);
        array.add(
          JSON.stringify([
            c.rowIndex,
            c.action,
            c.objectId,
            c.keyDisplay,
            c.before,
            c.after,
            c.sourceRow,
          ]),
        );
      }
    } catch (error) {
      array.take(); // the next chunk starts empty
      throw error;
    }
    if (array.count === 0) return;
    // The ids as one array literal: uuids need no quoting, and the driver's conversion of an array
    // makes several strings per element.
    const objectIdList = `{${objectIds.join(',')}}`;
    // The changes last: the driver grows its message buffer by copying what it holds, so the ids
    // bound after a megabyte of changes copied them once more.
    await manager.query(
      `INSERT INTO job_change_chunk (job_id, chunk_seq, organization_id, object, file_ordinal, object_ids, changes)
       VALUES ($1, $2, $3, $4, $5, $6::uuid[], $7::json)`,
      [jobId, chunk.seq, orgId, chunk.object, chunk.fileOrdinal, objectIdList, array.take()],
    );
  }

  /** One page of a job's changes in chunk and row order, after `after` (read `limit + 1` to page). */
  async page(
    orgId: string,
    jobId: string,
    limit: number,
    after: ChangePosition | null,
  ): Promise<RecordedChange[]> {
    const page: RecordedChange[] = [];
    for await (const change of this.inOrder(orgId, jobId, after, limit)) page.push(change);
    return page;
  }

  /**
   * Streams all of a job's changes in chunk and row order, one chunk's changes in memory at a time.
   * The caller must consume or destroy the stream, then release.
   */
  stream(orgId: string, jobId: string): Promise<StreamedRows> {
    return Promise.resolve({
      rows: Readable.from(this.inOrder(orgId, jobId, null, Infinity)),
      // Nothing to give back: each chunk's changes are read with a query of their own.
      release: () => Promise.resolve(),
    });
  }

  /**
   * A job's changes in chunk and row order after `after`, at most `limit`: chunk by chunk, each
   * chunk's array read in order (its place in the array is its row order), so a page reads only
   * the chunks it shows instead of sorting every change of the job.
   */
  private async *inOrder(
    orgId: string,
    jobId: string,
    after: ChangePosition | null,
    limit: number,
  ): AsyncGenerator<RecordedChange> {
    const chunks = await this.dataSource.query<{ seq: number }[]>(
      `SELECT chunk_seq AS seq FROM job_change_chunk
        WHERE organization_id = $1 AND job_id = $2 AND chunk_seq >= $3 ORDER BY chunk_seq`,
      [orgId, jobId, after?.chunkSeq ?? 0],
    );
    let left = limit;
    for (const { seq } of chunks) {
      if (left <= 0) return;
      const from = after && seq === after.chunkSeq ? after.rowIndex : -1;
      const changes = await this.dataSource.query<RecordedChange[]>(
        `SELECT ${CHANGE_COLUMNS}
           FROM job_change_chunk c
          CROSS JOIN LATERAL json_array_elements(c.changes) WITH ORDINALITY AS e(change, place)
           JOIN job_file f ON f.job_id = c.job_id AND f.ordinal = c.file_ordinal
          WHERE c.organization_id = $1 AND c.job_id = $2 AND c.chunk_seq = $3
            AND (e.change->>0)::int > $4
          ORDER BY e.place LIMIT ${Number.isFinite(left) ? Number(left) : 'ALL'}`,
        [orgId, jobId, seq, from],
      );
      left -= changes.length;
      yield* changes;
    }
  }

  /**
   * Streams a job's changes in the order an undo applies them: first what restores objects (updates
   * and deletes taken back, in the job's own order), then what removes the objects it created, in
   * reverse order (spec/api.md: deletes after all others, in reverse). Within each part, changes come
   * file by file, so each chunk an undo stages holds rows of one file. Constant memory, like `stream`.
   */
  async streamToUndo(orgId: string, jobId: string): Promise<StreamedRows> {
    return streamQuery(
      this.dataSource,
      `SELECT c.object, c.action, c.key_display AS "keyDisplay", c.before, c.after,
                c.file_ordinal AS "fileOrdinal", c.source_row AS "sourceRow"
           FROM job_change c
          WHERE c.organization_id = $1 AND c.job_id = $2
          ORDER BY (c.action = 'create'),
                   CASE WHEN c.action = 'create' THEN -c.file_ordinal ELSE c.file_ordinal END,
                   CASE WHEN c.action = 'create' THEN -c.chunk_seq ELSE c.chunk_seq END,
                   CASE WHEN c.action = 'create' THEN -c.row_index ELSE c.row_index END`,
      [orgId, jobId],
    );
  }

  /** Whether the job made a change of one of these actions to an object of one of these types. */
  async touches(
    orgId: string,
    jobId: string,
    objects: readonly string[],
    actions: readonly ChangeAction[],
  ): Promise<boolean> {
    if (objects.length === 0 || actions.length === 0) return false;
    const [row] = await this.dataSource.query<{ found: boolean }[]>(
      `SELECT EXISTS (SELECT 1 FROM job_change c
         WHERE c.organization_id = $1 AND c.job_id = $2 AND c.object = ANY($3) AND c.action = ANY($4)) AS found`,
      [orgId, jobId, objects, actions],
    );
    return row.found;
  }

  /**
   * The last change the job itself made to each of these objects (canonical values before and
   * after), in the caller's transaction: what an undo consults before it calls an object changed
   * by someone else.
   */
  async lastOwnChanges(
    manager: EntityManager,
    orgId: string,
    jobId: string,
    objectIds: readonly string[],
  ): Promise<Map<string, { before: (string | null)[] | null; after: (string | null)[] | null }>> {
    if (objectIds.length === 0) return new Map();
    const rows = await manager.query<
      { object_id: string; before: (string | null)[] | null; after: (string | null)[] | null }[]
    >(
      // Only the chunks that changed one of the objects are read (object_ids, a hash probe each).
      `SELECT DISTINCT ON (object_id) object_id, before, after FROM (
         SELECT (e.change->>2)::uuid AS object_id, c.chunk_seq, (e.change->>0)::int AS row_index,
                e.change->4 AS before, e.change->5 AS after
           FROM job_change_chunk c CROSS JOIN LATERAL json_array_elements(c.changes) AS e(change)
          WHERE c.organization_id = $1 AND c.job_id = $2
            AND EXISTS (SELECT 1 FROM unnest(c.object_ids) AS o(id) WHERE o.id = ANY($3::uuid[]))
       ) changes
        WHERE object_id = ANY($3::uuid[])
        ORDER BY object_id, chunk_seq DESC, row_index DESC`,
      [orgId, jobId, objectIds],
    );
    return new Map(rows.map((r) => [r.object_id, { before: r.before, after: r.after }]));
  }
}
