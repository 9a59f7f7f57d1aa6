import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMigrations } from '@bulkops/database';
import { dropDatabase, withAdminClient } from './admin-sql';
import { databaseUrl, RunNames } from './test-env';

const STALE_AFTER_MS = 6 * 3600_000;

function runAge(run: string): number {
  return Date.now() - parseInt(run.slice(0, -4), 36);
}

/**
 * Once per jest run: migrates a template database with the real migrations. Each test file then
 * clones its own database from it in milliseconds. Leftovers of runs that died more than six hours
 * ago are removed here (a crashed run cannot tidy up after itself).
 */
export default async function globalSetup(): Promise<void> {
  const run = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  process.env['BULKOPS_TEST_RUN'] = run;
  await withAdminClient(async (client) => {
    const { rows } = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE 'bulkops\\_t\\_%'`,
    );
    for (const { datname } of rows) {
      const other = /^bulkops_t_([a-z0-9]+)_/.exec(datname)?.[1];
      if (other && runAge(other) > STALE_AFTER_MS) await dropDatabase(client, datname);
    }
    await client.query(`CREATE DATABASE "${RunNames.template(run)}"`);
  });
  for (const entry of await readdir(tmpdir()).catch(() => [] as string[])) {
    const other = /^bulkops-t-([a-z0-9]+)-/.exec(entry)?.[1];
    if (other && runAge(other) > STALE_AFTER_MS)
      await rm(join(tmpdir(), entry), { recursive: true, force: true });
  }
  await runMigrations({ databaseUrl: databaseUrl(RunNames.template(run)), databasePoolSize: 1 });
}
