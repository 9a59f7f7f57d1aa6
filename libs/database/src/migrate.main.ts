import 'reflect-metadata';
import { DatabaseEnv, loadEnv, processEnv } from '@bulkops/config';
import { ensureDatabase, hasPendingMigrations, runMigrations } from './migrate';

// `--check` exits with this when migrations are pending (1 stays "something went wrong").
const PENDING = 3;

/**
 * The one-shot `migrate` command (compose service `migrate`, `npm run db:migrate`, the Kubernetes
 * migrate Job). With `--check` it changes nothing and exits 0 only when the schema is current:
 * Kubernetes Deployments wait on it in an init container until the migrate Job has run.
 */
async function main(): Promise<void> {
  const env = loadEnv([DatabaseEnv], processEnv()).get(DatabaseEnv);
  if (process.argv.includes('--check')) {
    const pending = await hasPendingMigrations(env);
    process.stdout.write(
      pending ? 'migrate: migrations are pending\n' : 'migrate: the schema is up to date\n',
    );
    process.exit(pending ? PENDING : 0);
  }
  if (await ensureDatabase(env.databaseUrl)) {
    process.stdout.write('migrate: created the database\n');
  }
  const applied = await runMigrations(env);
  process.stdout.write(
    applied.length > 0
      ? `migrate: applied ${applied.join(', ')}\n`
      : 'migrate: the schema is up to date\n',
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`migrate: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
