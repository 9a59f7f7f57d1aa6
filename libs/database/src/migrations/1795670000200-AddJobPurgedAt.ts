import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When retention (RETENTION_DAYS) removed a finished job's upload, row errors, ledger and staged
 * media; the job row itself stays as the record of what ran. The partial index is what the purge
 * looks through: finished jobs not purged yet, oldest first.
 */
export class AddJobPurgedAt1795670000200 implements MigrationInterface {
  name = 'AddJobPurgedAt1795670000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE job ADD COLUMN purged_at timestamptz`);
    await q.query(
      `CREATE INDEX ix_job_unpurged_finished ON job (finished_at) WHERE purged_at IS NULL AND finished_at IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_job_unpurged_finished`);
    await q.query(`ALTER TABLE job DROP COLUMN purged_at`);
  }
}
