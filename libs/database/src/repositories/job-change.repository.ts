import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { ChangeAction } from '../entities/job-change.entity';
import { copyField, copyItems } from '../objects/copy-rows';
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

/** The columns every change of a chunk shares come first, so their text is written once per chunk. */
const COPY_COLUMNS = [
  'job_id',
  'organization_id',
  'chunk_seq',
  'file_ordinal',
  'object',
  'row_index',
  'action',
  'object_id',
  'key_display',
  'before',
  'after',
  'source_row',
];

const SELECT_CHANGES = `
  SELECT c.chunk_seq AS "chunkSeq", c.row_index AS "rowIndex", c.object, c.action,
         c.object_id AS "objectId", c.key_display AS "keyDisplay", c.before, c.after,
         f.name AS "sourceFile", c.source_row AS "sourceRow"
    FROM job_change c JOIN job_file f ON f.job_id = c.job_id AND f.ordinal = c.file_ordinal
   WHERE c.organization_id = $1 AND c.job_id = $2`;

/**
 * The change records of jobs (table job_change): written by the worker with the chunk that made
 * them, read back as a job's change list (the preview of a validate job). Every read is scoped to
 * one organization, so another organization's job id finds nothing.
 */
@Injectable()
export class JobChangeRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Writes a chunk's changes with one COPY on the chunk's transaction: they commit or roll back
   * with the chunk and its ledger row. The caller has checked that the job is the organization's.
   * `changes` is read once, as the COPY stream asks for lines: a caller that makes each change only
   * then keeps no chunk-long array of them alive.
   */
  async record(
    manager: EntityManager,
    orgId: string,
    jobId: string,
    chunk: ChangedChunk,
    changes: Iterable<ChangeToRecord>,
  ): Promise<void> {
    // The five fields every change of the chunk shares, tab-joined once and written as one.
    const shared = [
      copyField(jobId, 'uuid'),
      copyField(orgId, 'uuid'),
      copyField(chunk.seq, 'integer'),
      copyField(chunk.fileOrdinal, 'integer'),
      copyField(chunk.object, 'text'),
    ].join('\t');
    await copyItems(manager, 'job_change', COPY_COLUMNS, changes, (c, text) => {
      text.field(shared);
      text.field(String(c.rowIndex));
      text.field(c.action);
      text.field(c.objectId);
      text.field(copyField(c.keyDisplay, 'text'));
      text.field(copyField(c.before, 'json'));
      text.field(copyField(c.after, 'json'));
      text.field(String(c.sourceRow));
      text.endRow();
    });
  }

  /** One page of a job's changes in chunk and row order, after `after` (read `limit + 1` to page). */
  async page(
    orgId: string,
    jobId: string,
    limit: number,
    after: ChangePosition | null,
  ): Promise<RecordedChange[]> {
    const from = after ? ' AND (c.chunk_seq, c.row_index) > ($3, $4)' : '';
    const params = after ? [orgId, jobId, after.chunkSeq, after.rowIndex] : [orgId, jobId];
    return this.dataSource.query<RecordedChange[]>(
      `${SELECT_CHANGES}${from} ORDER BY c.chunk_seq, c.row_index LIMIT ${Number(limit)}`,
      params,
    );
  }

  /**
   * Streams all of a job's changes in chunk and row order from a server-side cursor, in constant
   * memory. The caller must consume or destroy the stream, then release.
   */
  async stream(orgId: string, jobId: string): Promise<StreamedRows> {
    return streamQuery(this.dataSource, `${SELECT_CHANGES} ORDER BY c.chunk_seq, c.row_index`, [
      orgId,
      jobId,
    ]);
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
      `SELECT DISTINCT ON (object_id) object_id, before, after FROM job_change
        WHERE organization_id = $1 AND job_id = $2 AND object_id = ANY($3::uuid[])
        ORDER BY object_id, chunk_seq DESC, row_index DESC`,
      [orgId, jobId, objectIds],
    );
    return new Map(rows.map((r) => [r.object_id, { before: r.before, after: r.after }]));
  }
}
