import type { EntityManager } from 'typeorm';
import { getObject } from '@bulkops/objects';
import { createOrganization, createTestContext, type TestContext } from '@bulkops/testing';
import { ObjectTableRepository } from './object-table.repository';

/** A plan node of EXPLAIN (FORMAT JSON), as far as these checks read it. */
interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

/** Every (node type, relation) of a plan, depth first. */
function nodesOf(plan: PlanNode): { type: string; relation: string | undefined }[] {
  return [
    { type: plan['Node Type'], relation: plan['Relation Name'] },
    ...(plan.Plans ?? []).flatMap(nodesOf),
  ];
}

/**
 * A chunk's look-up of its stored objects and its delete must cost in proportion to the chunk, not
 * to the table: Postgres' cost model answers `key_norm = ANY(thousands of keys)` by reading every
 * object of the organization, which made a chunk's look-up 18 times slower at a million users than
 * at 100,000. The checks read the plans Postgres chooses for the statements the repository runs.
 */
describe('ObjectTableRepository look-ups at scale', () => {
  let context: TestContext;
  const tables = new ObjectTableRepository();
  const site = getObject('site');
  const STORED = 30_000;
  const CHUNK = 5000;
  let orgId: string;

  beforeAll(async () => {
    context = await createTestContext();
    ({ orgId } = await createOrganization(context.dataSource));
    await context.dataSource.query(
      `INSERT INTO site (organization_id, key_norm, key_display, name, multimedia_profile)
       SELECT $1, 'site ' || n, 'Site ' || n, 'Site ' || n, 'MMP' FROM generate_series(1, $2) n`,
      [orgId, STORED],
    );
    await context.dataSource.query('ANALYZE site');
  });

  afterAll(async () => {
    await context?.dispose();
  });

  /** Runs `work` on a manager that records each statement, and answers the statements. */
  async function statementsOf(
    work: (manager: EntityManager) => Promise<unknown>,
  ): Promise<{ sql: string; params: unknown[] }[]> {
    const seen: { sql: string; params: unknown[] }[] = [];
    await context.dataSource
      .transaction(async (manager) => {
        const recording = {
          query: (sql: string, params: unknown[]) => {
            seen.push({ sql, params });
            return manager.query(sql, params);
          },
        } as unknown as EntityManager;
        await work(recording);
        // Nothing the checks do is kept.
        throw new RolledBack();
      })
      .catch((error: unknown) => {
        if (!(error instanceof RolledBack)) throw error;
      });
    return seen;
  }

  class RolledBack extends Error {}

  /** The plan nodes Postgres chooses for a statement (not run). */
  async function planOf(sql: string, params: unknown[]) {
    const [row] = await context.dataSource.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }[]>(
      `EXPLAIN (FORMAT JSON) ${sql}`,
      params,
    );
    return nodesOf(row['QUERY PLAN'][0].Plan);
  }

  const keys = Array.from({ length: CHUNK }, (_, i) =>
    i % 2 === 0 ? `site ${i + 1}` : `new site ${i}`,
  );

  it('reads a chunk of keys with index probes, not a scan of the table', async () => {
    let found = 0;
    const [lookup] = await statementsOf(async (manager) => {
      found = (await tables.loadByKeys(manager, site, orgId, keys)).size;
    });
    expect(found).toBe(CHUNK / 2);
    const nodes = await planOf(lookup.sql, lookup.params);
    expect(nodes.filter((n) => n.relation === 'site').map((n) => n.type)).toEqual(['Index Scan']);

    // The same look-up as `= ANY(…)` is read with a scan of the table: the check can fail.
    const naive = await planOf(
      `SELECT t.id FROM site t WHERE t.organization_id = $1 AND t.key_norm = ANY($2::text[])`,
      [orgId, keys],
    );
    expect(naive.some((n) => n.relation === 'site' && n.type !== 'Index Scan')).toBe(true);
  });

  it('deletes a chunk of ids with primary-key probes, not a scan of the table', async () => {
    const ids = (
      await context.dataSource.query<{ id: string }[]>(
        `SELECT id FROM site WHERE organization_id = $1 ORDER BY key_norm LIMIT $2`,
        [orgId, CHUNK],
      )
    ).map((r) => r.id);
    let deleted = 0;
    const [remove] = await statementsOf(async (manager) => {
      deleted = await tables.deleteByIds(manager, site, orgId, ids);
    });
    expect(deleted).toBe(CHUNK);
    const nodes = await planOf(remove.sql, remove.params);
    const onSite = nodes.filter((n) => n.relation === 'site').map((n) => n.type);
    expect(onSite).not.toContain('Seq Scan');
    expect(onSite).toEqual(expect.arrayContaining(['Tid Scan', 'Index Scan']));
    // Nothing was kept.
    const [{ count }] = await context.dataSource.query<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM site WHERE organization_id = $1`,
      [orgId],
    );
    expect(count).toBe(STORED);
  });

  it('finds nothing of another organization', async () => {
    const { orgId: otherOrg } = await createOrganization(context.dataSource);
    const none = await context.dataSource.transaction((manager) =>
      tables.loadByKeys(manager, site, otherOrg, keys),
    );
    expect(none.size).toBe(0);
    const someIds = (
      await context.dataSource.query<{ id: string }[]>(
        `SELECT id FROM site WHERE organization_id = $1 LIMIT 10`,
        [orgId],
      )
    ).map((r) => r.id);
    const deleted = await context.dataSource.transaction((manager) =>
      tables.deleteByIds(manager, site, otherOrg, someIds),
    );
    expect(deleted).toBe(0);
  });
});
