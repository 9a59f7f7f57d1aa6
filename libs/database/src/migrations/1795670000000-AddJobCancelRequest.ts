import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When an administrator asked to cancel the job (spec/api.md `POST /v1/jobs/{id}/cancel`). The job
 * stays active until status has settled every chunk not yet applied; the worker reads this column
 * in the transaction that would commit a chunk, so no chunk commits after the request did.
 */
export class AddJobCancelRequest1795670000000 implements MigrationInterface {
  name = 'AddJobCancelRequest1795670000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE job ADD COLUMN cancel_requested_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE job DROP COLUMN cancel_requested_at`);
  }
}
