import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The most frequent row-error messages of a finished job, written once when status records its
 * final state. A finished job's row errors never change, and counting them on every read cost
 * Postgres about 24 ms per `GET /v1/jobs/{id}` of a job with 5000 rejected rows (bench/read-latency).
 * Null while the job runs, and for jobs finished before this column existed: read live then.
 */
export class AddJobErrorSummary1795660013100 implements MigrationInterface {
  name = 'AddJobErrorSummary1795660013100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE job ADD COLUMN error_summary jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE job DROP COLUMN error_summary`);
  }
}
