import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What Postgres knows about each chunk's deliveries, so recovery never depends on what Redis kept:
 * `dispatched_at` (last sent by status, or last taken up by a worker), `attempt` (the number in its
 * queue job id: a re-dispatch is a new queue job, which a kept failed or stalled one cannot swallow),
 * `tries` (how often a worker started it) and `last_failure` (why the last try failed). And how often
 * an upload was sent to ingest (`ingest_attempt`), for the same reason.
 */
export class AddChunkDelivery1795670000100 implements MigrationInterface {
  name = 'AddChunkDelivery1795670000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE chunk ADD COLUMN dispatched_at timestamptz`);
    await q.query(`ALTER TABLE chunk ADD COLUMN attempt int NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE chunk ADD COLUMN tries int NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE chunk ADD COLUMN last_failure text`);
    await q.query(`ALTER TABLE job ADD COLUMN ingest_attempt int NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE job DROP COLUMN ingest_attempt`);
    for (const column of ['last_failure', 'tries', 'attempt', 'dispatched_at']) {
      await q.query(`ALTER TABLE chunk DROP COLUMN ${column}`);
    }
  }
}
