import { Client } from 'pg';
import IORedis from 'ioredis';
import type { DatabaseEnv, RedisEnv } from '@bulkops/config';
import { redisOptions } from '@bulkops/queue';

/** Why a service cannot start, in one sentence with the command that fixes it. */
export class PreflightError extends Error {}

function where(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || (parsed.protocol.startsWith('redis') ? 6379 : 5432)}`;
}

/** Checks Postgres is reachable, the database exists and is migrated. */
export async function checkPostgres(env: DatabaseEnv, service: string): Promise<void> {
  const client = new Client({ connectionString: env.databaseUrl, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ migrated: boolean }>(
      `SELECT to_regclass('public.job') IS NOT NULL AS migrated`,
    );
    if (!rows[0]?.migrated) {
      throw new PreflightError(
        `bulkops ${service}: the database at ${where(env.databaseUrl)} has no bulkops schema yet; run \`npm run db:migrate\` (or \`docker compose run --rm migrate\`) and start again.`,
      );
    }
  } catch (error) {
    if (error instanceof PreflightError) throw error;
    const code = (error as { code?: string }).code;
    if (code === '3D000') {
      throw new PreflightError(
        `bulkops ${service}: the database in DATABASE_URL does not exist yet; run \`npm run db:migrate\`, which creates and migrates it.`,
      );
    }
    throw new PreflightError(
      `bulkops ${service} cannot reach Postgres at ${where(env.databaseUrl)} (${code ?? (error as Error).message}); start it with \`pg_ctlcluster --skip-systemctl-redirect 15 main start\` (Debian) or \`docker compose up -d postgres\`, or fix DATABASE_URL.`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Checks Redis answers PING. */
export async function checkRedis(env: RedisEnv, service: string): Promise<void> {
  const redis = new IORedis({
    ...redisOptions(env.redisUrl),
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 5000,
  });
  // ioredis rejects with a generic "Connection is closed."; the cause arrives as an 'error' event.
  let cause: { code?: string; message: string } | null = null;
  redis.on('error', (error: Error) => (cause ??= error));
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    const reason = cause ?? (error as { code?: string; message: string });
    throw new PreflightError(
      `bulkops ${service} cannot reach Redis at ${where(env.redisUrl)} (${reason.code ?? reason.message}); start it with \`redis-server --daemonize yes --appendonly yes\` or \`docker compose up -d redis\`, or fix REDIS_URL.`,
    );
  } finally {
    redis.disconnect();
  }
}
