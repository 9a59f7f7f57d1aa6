import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An undo job (spec/api.md `POST /v1/jobs/{id}/undo`): mode `undo`, and the job whose changes it
 * takes back. An undo names its original exactly when it is one (ck_job_undo_of). No foreign key:
 * job rows are never deleted. The partial index answers "which undo took this job back".
 */
export class AddJobUndoOf1795680000300 implements MigrationInterface {
  name = 'AddJobUndoOf1795680000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE job DROP CONSTRAINT ck_job_mode`);
    await q.query(
      `ALTER TABLE job ADD CONSTRAINT ck_job_mode CHECK (mode IN ('apply', 'validate', 'undo'))`,
    );
    await q.query(`ALTER TABLE job ADD COLUMN undo_of uuid`);
    await q.query(
      `ALTER TABLE job ADD CONSTRAINT ck_job_undo_of CHECK ((mode = 'undo') = (undo_of IS NOT NULL))`,
    );
    await q.query(
      `CREATE INDEX ix_job_undo_of ON job (organization_id, undo_of) WHERE undo_of IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_job_undo_of`);
    await q.query(`ALTER TABLE job DROP CONSTRAINT ck_job_undo_of`);
    await q.query(`ALTER TABLE job DROP COLUMN undo_of`);
    await q.query(`ALTER TABLE job DROP CONSTRAINT ck_job_mode`);
    await q.query(
      `ALTER TABLE job ADD CONSTRAINT ck_job_mode CHECK (mode IN ('apply', 'validate'))`,
    );
  }
}
