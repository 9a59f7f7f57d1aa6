import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Tables whose foreign keys point at tracking rows, not at configuration objects. */
const TRACKING_TARGETS = `('organization', 'administrator', 'job', 'webhook', 'api_token')`;

/** Foreign keys between object tables (a team's site), by table and constraint name. */
const OBJECT_FOREIGN_KEYS = `
  SELECT c.conrelid::regclass::text AS tbl, c.conname AS name
    FROM pg_constraint c
   WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace
     AND c.confrelid::regclass::text NOT IN ${TRACKING_TARGETS}
     AND c.conrelid::regclass::text NOT IN ${TRACKING_TARGETS}
     AND c.conrelid::regclass::text NOT IN ('job_file', 'chunk', 'chunk_ledger', 'row_error')`;

/**
 * Jobs over several object types (spec/api.md "Bundles"):
 * - each chunk, ledger row and job file names its object type (null: the job's), and each chunk
 *   its `phase` (chunks of a phase are dispatched only after every chunk of the earlier phases is
 *   in the ledger);
 * - `bundle_target`: a bundle's create rows by type and key with their place, so a reference to a
 *   row that was rejected says so, and validate mode can bind to rows it rolled back;
 * - `job_file.columns`: each file's present columns, the header of its type's error file;
 * - foreign keys between object tables become DEFERRABLE (still INITIALLY IMMEDIATE, so nothing
 *   changes unless a transaction defers them): validate mode binds a reference to an object the
 *   same bundle would create, writes the row inside a savepoint it rolls back, and defers the check
 *   so that the write, which never commits, does not fail on the id that does not exist.
 */
export class AddBundleJobs1795680000100 implements MigrationInterface {
  name = 'AddBundleJobs1795680000100';

  async up(q: QueryRunner): Promise<void> {
    // Null stands for the job's own type: what rows written without it (before bundles) hold.
    for (const table of ['chunk', 'chunk_ledger', 'job_file']) {
      await q.query(`ALTER TABLE ${table} ADD COLUMN object text`);
      await q.query(
        `UPDATE ${table} t SET object = j.object FROM job j WHERE j.id = t.job_id AND t.object IS NULL`,
      );
    }
    await q.query(`ALTER TABLE chunk ADD COLUMN phase int NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE job_file ADD COLUMN columns text[]`);
    await q.query(`
      CREATE TABLE bundle_target (
        job_id uuid NOT NULL CONSTRAINT fk_bundle_target_job REFERENCES job (id) ON DELETE CASCADE,
        organization_id uuid NOT NULL,
        object text NOT NULL,
        key_norm text NOT NULL,
        leaf_norm text NOT NULL,
        key_display text NOT NULL,
        file_ordinal int NOT NULL,
        line int NOT NULL,
        place text NOT NULL,
        "values" jsonb NOT NULL
      )`);
    await q.query(`CREATE INDEX ix_bundle_target_key ON bundle_target (job_id, object, key_norm)`);
    await q.query(
      `CREATE INDEX ix_bundle_target_leaf ON bundle_target (job_id, object, leaf_norm)`,
    );
    await this.setDeferrable(q, 'DEFERRABLE INITIALLY IMMEDIATE');
  }

  async down(q: QueryRunner): Promise<void> {
    await this.setDeferrable(q, 'NOT DEFERRABLE');
    await q.query(`DROP TABLE bundle_target`);
    await q.query(`ALTER TABLE job_file DROP COLUMN columns`);
    await q.query(`ALTER TABLE chunk DROP COLUMN phase`);
    for (const table of ['chunk', 'chunk_ledger', 'job_file']) {
      await q.query(`ALTER TABLE ${table} DROP COLUMN object`);
    }
  }

  private async setDeferrable(q: QueryRunner, mode: string): Promise<void> {
    const keys = (await q.query(OBJECT_FOREIGN_KEYS)) as { tbl: string; name: string }[];
    for (const key of keys) {
      await q.query(`ALTER TABLE ${key.tbl} ALTER CONSTRAINT "${key.name}" ${mode}`);
    }
  }
}
