import { readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import IORedis from 'ioredis';
import { dropDatabase, withAdminClient } from './admin-sql';
import { RunNames, testEnv } from './test-env';

/** Removes everything the run created: databases, Redis keys under its prefix, storage dirs. */
export default async function globalTeardown(): Promise<void> {
  const run = testEnv().bulkopsTestRun;
  if (!run) return;
  await withAdminClient(async (client) => {
    const { rows } = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE starts_with(datname, $1)`,
      [RunNames.databasePrefix(run)],
    );
    for (const { datname } of rows) await dropDatabase(client, datname);
  });
  const redis = new IORedis(testEnv().bulkopsTestRedisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(
        cursor,
        'MATCH',
        `${RunNames.queuePrefix(run)}*`,
        'COUNT',
        1000,
      );
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  for (const entry of await readdir(tmpdir())) {
    if (entry.startsWith(RunNames.storagePrefix(run)))
      await rm(join(tmpdir(), entry), { recursive: true, force: true });
  }
}
