import { freePort, createTestContext, type TestContext } from '@bulkops/testing';
import { checkPostgres, checkRedis, PreflightError } from './preflight';

describe('the start-up checks', () => {
  let context: TestContext;

  beforeAll(async () => {
    context = await createTestContext();
  });

  afterAll(async () => {
    await context?.dispose();
  });

  it('pass against the running Postgres and Redis', async () => {
    await expect(
      checkPostgres({ databaseUrl: context.env['DATABASE_URL'], databasePoolSize: 1 }, 'worker'),
    ).resolves.toBeUndefined();
    await expect(
      checkRedis({ redisUrl: context.env['REDIS_URL'] }, 'worker'),
    ).resolves.toBeUndefined();
  });

  it('explain an unreachable Postgres in one sentence with the command that starts it', async () => {
    const port = await freePort();
    const error = await checkPostgres(
      { databaseUrl: `postgres://postgres@127.0.0.1:${port}/bulkops`, databasePoolSize: 1 },
      'worker',
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PreflightError);
    expect((error as Error).message).toBe(
      `bulkops worker cannot reach Postgres at 127.0.0.1:${port} (ECONNREFUSED); start it with \`pg_ctlcluster --skip-systemctl-redirect 15 main start\` (Debian) or \`docker compose up -d postgres\`, or fix DATABASE_URL.`,
    );
  });

  it('explain an unreachable Redis in one sentence with the command that starts it', async () => {
    const port = await freePort();
    const error = await checkRedis({ redisUrl: `redis://127.0.0.1:${port}` }, 'gateway').catch(
      (e: unknown) => e,
    );
    expect((error as Error).message).toBe(
      `bulkops gateway cannot reach Redis at 127.0.0.1:${port} (ECONNREFUSED); start it with \`redis-server --daemonize yes --appendonly yes\` or \`docker compose up -d redis\`, or fix REDIS_URL.`,
    );
  });

  it('tell a missing database and an unmigrated one apart', async () => {
    const missing = new URL(context.env['DATABASE_URL']);
    missing.pathname = '/bulkops_does_not_exist';
    await expect(
      checkPostgres({ databaseUrl: missing.toString(), databasePoolSize: 1 }, 'status'),
    ).rejects.toThrow(/does not exist yet; run `npm run db:migrate`/);
    const bare = new URL(context.env['DATABASE_URL']);
    bare.pathname = '/postgres';
    await expect(
      checkPostgres({ databaseUrl: bare.toString(), databasePoolSize: 1 }, 'status'),
    ).rejects.toThrow(/has no bulkops schema yet; run `npm run db:migrate`/);
  });
});
