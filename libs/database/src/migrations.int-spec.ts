import { createDataSource, objectSchemaDataSource } from './data-source';
import { hasPendingMigrations } from './migrate';
import { createTestContext, type TestContext } from '@bulkops/testing';

describe('the migrations', () => {
  let context: TestContext;

  beforeAll(async () => {
    context = await createTestContext();
  });

  afterAll(async () => {
    await context?.dispose();
  });

  it('create every object table exactly as its declaration describes it', async () => {
    const dataSource = await objectSchemaDataSource({
      databaseUrl: context.env['DATABASE_URL'],
      databasePoolSize: 1,
    }).initialize();
    try {
      const pending = await dataSource.driver.createSchemaBuilder().log();
      // Anything listed here is a difference between a declaration and its migration.
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
  });

  it('report nothing pending on a migrated database and something pending once one is undone', async () => {
    const env = { databaseUrl: context.env['DATABASE_URL'], databasePoolSize: 1 };
    expect(await hasPendingMigrations(env)).toBe(false);
    const dataSource = await createDataSource(env).initialize();
    try {
      await dataSource.undoLastMigration({ transaction: 'each' });
      expect(await hasPendingMigrations(env)).toBe(true);
      await dataSource.runMigrations({ transaction: 'each' });
      expect(await hasPendingMigrations(env)).toBe(false);
    } finally {
      await dataSource.destroy();
    }
  });

  it('can be reverted to nothing and applied again', async () => {
    const dataSource = await createDataSource({
      databaseUrl: context.env['DATABASE_URL'],
      databasePoolSize: 1,
    }).initialize();
    try {
      for (let i = 0; i < dataSource.migrations.length; i += 1)
        await dataSource.undoLastMigration({ transaction: 'each' });
      expect(
        await dataSource.query(
          `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migrations'`,
        ),
      ).toEqual([{ n: 0 }]);
      expect((await dataSource.runMigrations({ transaction: 'each' })).length).toBe(
        dataSource.migrations.length,
      );
    } finally {
      await dataSource.destroy();
    }
  });
});
