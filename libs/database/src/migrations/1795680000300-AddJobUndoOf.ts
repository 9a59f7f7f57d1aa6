import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An undo job (spec/api.md `POST /v1/jobs/{id}/undo`) names the job whose changes it takes back.
 * No foreign key: a job row is never deleted, and the column is only read to build the undo's
 * chunks and its JSON. The partial index answers "which undo took this job back".
 */
export class AddJobUndoOf1795680000300 implements MigrationInterface {
  name = 'AddJobUndoOf1795680000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE job ADD COLUMN undo_of uuid`);
    await q.query(
      `CREATE INDEX ix_job_undo_of ON job (organization_id, undo_of) WHERE undo_of IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_job_undo_of`);
    await q.query(`ALTER TABLE job DROP COLUMN undo_of`);
  }
}
