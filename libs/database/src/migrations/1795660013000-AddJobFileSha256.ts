import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The sha256 of a job's upload, computed by the gateway while the bytes stream in. With the job's
 * object, mode, file name and size it is what an Idempotency-Key is bound to: a retry with the same
 * key must carry the same request (spec/api.md `422 IDEMPOTENCY_KEY_REUSED`). Null for jobs
 * submitted before it existed, which no retry can match.
 */
export class AddJobFileSha2561795660013000 implements MigrationInterface {
  name = 'AddJobFileSha2561795660013000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE job ADD COLUMN file_sha256 text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE job DROP COLUMN file_sha256`);
  }
}
