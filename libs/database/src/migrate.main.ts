import 'reflect-metadata';
import { DatabaseEnv, loadEnv, processEnv } from '@bulkops/config';
import { ensureDatabase, runMigrations } from './migrate';

/** The one-shot `migrate` command (compose service `migrate`, `npm run db:migrate`). */
async function main(): Promise<void> {
  const env = loadEnv([DatabaseEnv], processEnv()).get(DatabaseEnv);
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
