import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What each job changed, one row per created, updated or deleted object (spec/api.md
 * `GET /v1/jobs/{id}/changes`; undo reads it too). The values are canonical text in declaration
 * order, references by name, exactly what an export row holds, so a change reads like the files the
 * user uploads and needs no join to show. The worker writes a chunk's rows in the chunk's own
 * transaction, so they exist exactly when the chunk's ledger row does. `object` is stored per row
 * because one job may apply several types (a bundle).
 *
 * No foreign key to job, unlike the other per-job tables: its per-row check (a lookup and a share
 * lock of the job row for every change) made an import of 100,000 rows cost about a second more
 * Postgres time, and nothing needs it — a job row is never deleted once it has chunks, and
 * retention removes the changes with the job's other records.
 */
export class CreateJobChangeTable1795680000200 implements MigrationInterface {
  name = 'CreateJobChangeTable1795680000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE job_change (
        job_id uuid NOT NULL,
        chunk_seq int NOT NULL,
        row_index int NOT NULL,
        organization_id uuid NOT NULL,
        object text NOT NULL,
        action text NOT NULL CONSTRAINT ck_job_change_action CHECK (action IN ('create', 'update', 'delete')),
        object_id uuid NOT NULL,
        key_display text NOT NULL,
        before jsonb,
        after jsonb,
        file_ordinal int NOT NULL,
        source_row int NOT NULL,
        CONSTRAINT pk_job_change PRIMARY KEY (job_id, chunk_seq, row_index)
      )`);
    await q.query(`CREATE INDEX ix_job_change_org_job ON job_change (organization_id, job_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE job_change`);
  }
}
