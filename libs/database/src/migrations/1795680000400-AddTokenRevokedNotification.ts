import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Revoking a token (`revoked_at` set, or the row deleted) sends
 * `pg_notify('bulkops_token_revoked', token_hash)` when the transaction commits. Gateways keep recent
 * token lookups in memory (GATEWAY_READ_CACHE_MS); this notification drops a revoked token at once
 * on every gateway, so remembering lookups never lets a revoked token through.
 */
export class AddTokenRevokedNotification1795680000400 implements MigrationInterface {
  name = 'AddTokenRevokedNotification1795680000400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION api_token_revoked() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('bulkops_token_revoked', OLD.token_hash);
        RETURN NULL;
      END
      $$`);
    await q.query(
      `CREATE TRIGGER trg_api_token_revoked AFTER UPDATE OF revoked_at OR DELETE ON api_token
         FOR EACH ROW EXECUTE FUNCTION api_token_revoked()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER trg_api_token_revoked ON api_token`);
    await q.query(`DROP FUNCTION api_token_revoked()`);
  }
}
