import type { MigrationInterface, QueryRunner } from 'typeorm';
import { compressWithLz4 } from './lz4-compression';

/** The view that reads chunk-stored changes as one row per change, in the former table's columns. */
const JOB_CHANGE_VIEW = `
  CREATE VIEW job_change AS
  SELECT c.job_id, c.chunk_seq, (e.change->>0)::int AS row_index, c.organization_id, c.object,
         e.change->>1 AS action, (e.change->>2)::uuid AS object_id, e.change->>3 AS key_display,
         CASE WHEN json_typeof(e.change->4) = 'null' THEN NULL ELSE e.change->4 END AS before,
         CASE WHEN json_typeof(e.change->5) = 'null' THEN NULL ELSE e.change->5 END AS after,
         c.file_ordinal, (e.change->>6)::int AS source_row
    FROM job_change_chunk c, json_array_elements(c.changes) AS e(change)`;

/**
 * Change records are stored one row per applied chunk instead of one row per change: the chunk's
 * changes as one JSON array of `[row_index, action, object_id, key_display, before, after,
 * source_row]` in row order, compressed with lz4 where the server has it, and the ids of the
 * objects changed, so that the changes of a few objects are found without reading every chunk. Every import writes them
 * and few read them, and a row per change cost Postgres a tuple, a primary-key entry and their WAL
 * for each object written: with 100,000 users, the COPY of their change records took 0.87 s of
 * Postgres time during an import, more than anything but the users themselves. Stored by chunk,
 * writing them is one INSERT per chunk (136 ms for the same changes, against 414–477 ms for one
 * COPY of them as rows) and they take about a third of the space.
 *
 * A view named `job_change` reads them as before, one row per change with the same columns, so
 * what only reads a job's changes reads them unchanged; what pages through them in order reads
 * the table (JobChangeRepository), which keeps each page to the chunks it needs.
 */
export class StoreJobChangesByChunk1795690000100 implements MigrationInterface {
  name = 'StoreJobChangesByChunk1795690000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE job_change_chunk (
        job_id uuid NOT NULL,
        chunk_seq int NOT NULL,
        organization_id uuid NOT NULL,
        object text NOT NULL,
        file_ordinal int NOT NULL,
        changes json NOT NULL,
        object_ids uuid[] NOT NULL,
        CONSTRAINT pk_job_change_chunk PRIMARY KEY (job_id, chunk_seq)
      )`);
    await compressWithLz4(q, 'job_change_chunk', 'changes');
    await q.query(`
      INSERT INTO job_change_chunk (job_id, chunk_seq, organization_id, object, file_ordinal, changes, object_ids)
      SELECT job_id, chunk_seq, organization_id, object, file_ordinal,
             json_agg(json_build_array(row_index, action, object_id, key_display, before, after, source_row)
                      ORDER BY row_index),
             array_agg(object_id ORDER BY row_index)
        FROM job_change
       GROUP BY job_id, chunk_seq, organization_id, object, file_ordinal`);
    await q.query(`DROP TABLE job_change`);
    await q.query(JOB_CHANGE_VIEW);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE job_change_row (
        job_id uuid NOT NULL,
        chunk_seq int NOT NULL,
        row_index int NOT NULL,
        organization_id uuid NOT NULL,
        object text NOT NULL,
        action text NOT NULL CONSTRAINT ck_job_change_action CHECK (action IN ('create', 'update', 'delete')),
        object_id uuid NOT NULL,
        key_display text NOT NULL,
        before json,
        after json,
        file_ordinal int NOT NULL,
        source_row int NOT NULL,
        CONSTRAINT pk_job_change PRIMARY KEY (job_id, chunk_seq, row_index)
      )`);
    await q.query(`INSERT INTO job_change_row SELECT * FROM job_change`);
    await q.query(`DROP VIEW job_change`);
    await q.query(`DROP TABLE job_change_chunk`);
    await q.query(`ALTER TABLE job_change_row RENAME TO job_change`);
  }
}
