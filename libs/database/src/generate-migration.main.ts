import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseEnv, loadEnv, processEnv } from '@bulkops/config';
import { objectSchemaDataSource } from './data-source';

/**
 * `npm run db:migration:generate -- --name=AddQueueTable`: compares the object tables' EntitySchemas
 * (derived from the declarations) with the migrated database and writes the
 * difference as a new migration to read, tidy (GIN and expression indexes are not expressible in
 * TypeORM and must be added by hand) and register in migrations/index.ts.
 */
async function main(): Promise<void> {
  const name = process.argv[2];
  if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) {
    throw new Error('give the migration a PascalCase name, e.g. --name=AddQueueTable');
  }
  const env = loadEnv([DatabaseEnv], processEnv()).get(DatabaseEnv);
  const dataSource = await objectSchemaDataSource(env).initialize();
  try {
    const sql = await dataSource.driver.createSchemaBuilder().log();
    if (sql.upQueries.length === 0) {
      process.stdout.write('generate: the database already matches the declarations\n');
      return;
    }
    const stamp = Date.now();
    const lines = (queries: { query: string }[]) =>
      queries.map((q) => `    await q.query(\`${q.query.replace(/`/g, '\\`')}\`);`).join('\n');
    const file = join(__dirname, '..', 'src', 'migrations', `${stamp}-${name}.ts`);
    writeFileSync(
      file,
      `import type { MigrationInterface, QueryRunner } from 'typeorm';\n\nexport class ${name}${stamp} implements MigrationInterface {\n  name = '${name}${stamp}';\n\n  async up(q: QueryRunner): Promise<void> {\n${lines(sql.upQueries)}\n  }\n\n  async down(q: QueryRunner): Promise<void> {\n${lines(sql.downQueries.reverse())}\n  }\n}\n`,
    );
    process.stdout.write(`generate: wrote ${file}\n`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`generate: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
