import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import type { EnvSource } from '@bulkops/config';
import { createDataSource } from '@bulkops/database';
import { dropDatabase, withAdminClient } from './admin-sql';
import { deleteRedisPrefix } from './redis-prefix';
import { databaseUrl, RunNames, testEnv } from './test-env';

/** What one test file owns: its database, queue prefix and storage directory. */
export interface TestContext {
  readonly databaseName: string;
  readonly queuePrefix: string;
  readonly storageDir: string;
  /** The env a service started for this file gets (merge overrides on top). */
  readonly env: Readonly<Record<string, string>>;
  /** A connection to the file's database, for arranging and asserting. */
  readonly dataSource: DataSource;
  dispose(): Promise<void>;
}

/**
 * Gives a test file its own database (cloned from the run's migrated template), BullMQ prefix and
 * storage directory, so files never see each other's data and can run in parallel.
 */
export async function createTestContext(overrides: EnvSource = {}): Promise<TestContext> {
  const { bulkopsTestRun: run, bulkopsTestRedisUrl } = testEnv();
  if (!run) throw new Error('no test run: this spec needs the global setup in jest.preset.js');
  const id = randomBytes(4).toString('hex');
  const databaseName = `${RunNames.databasePrefix(run)}${id}`;
  await withAdminClient((client) =>
    client.query(`CREATE DATABASE "${databaseName}" TEMPLATE "${RunNames.template(run)}"`),
  );
  const queuePrefix = `${RunNames.queuePrefix(run)}-${id}`;
  const storageDir = await mkdtemp(join(tmpdir(), RunNames.storagePrefix(run)));
  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl(databaseName),
    DATABASE_POOL_SIZE: '5',
    REDIS_URL: bulkopsTestRedisUrl,
    QUEUE_PREFIX: queuePrefix,
    STORAGE_DIR: storageDir,
    LOG_LEVEL: 'warn',
    STATUS_REAP_INTERVAL_MS: '1000',
    STATUS_RECOVER_AFTER_MS: '3000',
    ...Object.fromEntries(
      Object.entries(overrides).filter((e): e is [string, string] => e[1] !== undefined),
    ),
  };
  const dataSource = await createDataSource(
    { databaseUrl: env['DATABASE_URL'], databasePoolSize: 3 },
    'bulkops-test',
  ).initialize();
  return {
    databaseName,
    queuePrefix,
    storageDir,
    env,
    dataSource,
    async dispose() {
      await dataSource.destroy();
      await withAdminClient((client) => dropDatabase(client, databaseName));
      await rm(storageDir, { recursive: true, force: true });
      await deleteRedisPrefix(bulkopsTestRedisUrl, queuePrefix);
    },
  };
}
