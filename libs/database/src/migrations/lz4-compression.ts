import type { QueryRunner } from 'typeorm';

/**
 * Compresses a column with lz4 where the server has it; a server built without lz4 keeps pglz and
 * the migration still succeeds (feature_not_supported is all that is caught).
 */
export async function compressWithLz4(
  q: QueryRunner,
  table: string,
  column: string,
): Promise<void> {
  await q.query(`
    DO $$ BEGIN
      ALTER TABLE ${table} ALTER COLUMN ${column} SET COMPRESSION lz4;
    EXCEPTION WHEN feature_not_supported THEN
      RAISE NOTICE 'this Postgres has no lz4; ${table}.${column} stays compressed with pglz';
    END $$`);
}
