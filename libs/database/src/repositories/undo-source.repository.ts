import type { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** What a job did to one object, as its change record holds it (canonical values, export form). */
export interface ChangeToUndo {
  object: string;
  action: 'create' | 'update' | 'delete';
  keyDisplay: string;
  /** Canonical values before the job (update, delete), declaration order. */
  before: (string | null)[] | null;
  /** Canonical values after the job (create, update), declaration order. */
  after: (string | null)[] | null;
  fileOrdinal: number;
  sourceRow: number;
}

/**
 * Reads a job's change records (table `job_change`) in the order an undo applies them: first what
 * restores objects (updates and deletes taken back, in the job's own order), then what removes the
 * objects it created, in reverse order (spec/api.md: deletes after all others, in reverse). Within
 * each part, records come file by file, so each staged chunk holds rows of one file.
 */
@Injectable()
export class UndoSourceRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Streams the records from a server-side cursor, so an undo of any size is staged in constant
   * memory. The caller must consume or destroy the stream, then call `release`.
   */
  async stream(
    orgId: string,
    jobId: string,
  ): Promise<{ rows: Readable; release: () => Promise<void> }> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const rows = await runner.stream(
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
      return { rows, release: () => runner.release() };
    } catch (error) {
      await runner.release();
      throw error;
    }
  }
}
