import { Client } from 'pg';
import type { DatabaseEnv } from '@bulkops/config';
import { createDataSource } from './data-source';

// Any number of `migrate` processes may start together (compose, several replicas): a
// session-level advisory lock lets one run while the others wait, then find nothing to do.
const MIGRATION_LOCK = 7_281_991;

/** Creates the database named in the URL when it does not exist yet (a fresh machine). */
export async function ensureDatabase(databaseUrl: string): Promise<boolean> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  const maintenance = new URL(databaseUrl);
  maintenance.pathname = '/postgres';
  const client = new Client({ connectionString: maintenance.toString() });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount) return false;
    try {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
    } catch (error) {
      if ((error as { code?: string }).code !== '42P04') throw error; // created meanwhile
      return false;
    }
    return true;
  } finally {
    await client.end();
  }
}

/** Runs pending migrations, each in its own transaction. Answers the names of those applied. */
export async function runMigrations(env: DatabaseEnv): Promise<string[]> {
  const dataSource = await createDataSource(env, 'bulkops-migrate').initialize();
  try {
    await dataSource.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.map((m) => m.name);
    } finally {
      await dataSource.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    await dataSource.destroy();
  }
}

/** Whether the database lacks migrations this build carries (read-only; nothing is applied). */
export async function hasPendingMigrations(env: DatabaseEnv): Promise<boolean> {
  const dataSource = await createDataSource(env, 'bulkops-migrate-check').initialize();
  try {
    return await dataSource.showMigrations();
  } finally {
    await dataSource.destroy();
  }
}
