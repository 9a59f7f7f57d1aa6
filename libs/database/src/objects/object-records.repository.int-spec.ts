import { once } from 'node:events';
import { exportCells, getObject } from '@bulkops/objects';
import { createOrganization, createTestContext, type TestContext } from '@bulkops/testing';
import { ObjectRecordsRepository, type RecordExport } from './object-records.repository';
import type { StoredRecord } from './object-rows';
import { ObjectTableRepository } from './object-table.repository';

describe('ObjectRecordsRepository', () => {
  let context: TestContext;
  let records: ObjectRecordsRepository;
  const tables = new ObjectTableRepository();
  const site = getObject('site');
  const team = getObject('team');

  beforeAll(async () => {
    context = await createTestContext();
    records = new ObjectRecordsRepository(context.dataSource);
  });

  afterAll(async () => {
    await context?.dispose();
  });

  /** An organization with sites and teams written the way the worker writes them. */
  async function organizationWithTeams(
    siteNames: string[],
    teamsPerSite: string[],
  ): Promise<{ orgId: string; siteIds: Map<string, string> }> {
    const { orgId } = await createOrganization(context.dataSource);
    const written = await tables.upsert(
      context.dataSource.manager,
      site,
      orgId,
      siteNames.map((name) => ({
        keyNorm: name.toLowerCase(),
        keyDisplay: name,
        values: [name, 'MMP'],
        content: [],
      })),
    );
    const siteIds = new Map(
      written.map((w) => [siteNames.find((n) => n.toLowerCase() === w.keyNorm)!, w.id]),
    );
    await tables.upsert(
      context.dataSource.manager,
      team,
      orgId,
      siteNames.flatMap((siteName) =>
        teamsPerSite.map((name) => ({
          keyNorm: `${siteName}/${name}`.toLowerCase(),
          keyDisplay: `${siteName}/${name}`,
          values: [name, siteIds.get(siteName), 'AGENT', null, null, null, null, null],
          content: [],
        })),
      ),
    );
    return { orgId, siteIds };
  }

  async function drain(open: RecordExport): Promise<StoredRecord[]> {
    const all: StoredRecord[] = [];
    for await (const record of open.records) all.push(record as StoredRecord);
    return all;
  }

  /** Connections of the test's pool that are checked out. */
  const inUse = () => {
    const pool = (
      context.dataSource.driver as unknown as { master: { totalCount: number; idleCount: number } }
    ).master;
    return pool.totalCount - pool.idleCount;
  };

  it("streams one organization's records in key order with the names of what they reference", async () => {
    const { orgId } = await organizationWithTeams(['Denver', 'austin'], ['support', 'Sales']);
    await organizationWithTeams(['Austin'], ['Other Org Team']);
    const open = await records.openExport(orgId, team);
    try {
      expect(open.count).toBe(4);
      const all = await drain(open);
      expect(all.map((r) => r.keyDisplay)).toEqual([
        'austin/Sales',
        'austin/support',
        'Denver/Sales',
        'Denver/support',
      ]);
      expect(all.map((r) => exportCells(team, r.values, open.names).slice(0, 3))).toEqual([
        ['Sales', 'austin', 'AGENT'],
        ['support', 'austin', 'AGENT'],
        ['Sales', 'Denver', 'AGENT'],
        ['support', 'Denver', 'AGENT'],
      ]);
    } finally {
      await open.close();
    }
  });

  it('reads from one snapshot: records written after opening are neither counted nor streamed', async () => {
    const { orgId, siteIds } = await organizationWithTeams(['Austin'], ['A', 'B']);
    const open = await records.openExport(orgId, team);
    try {
      await tables.upsert(context.dataSource.manager, team, orgId, [
        {
          keyNorm: 'austin/c',
          keyDisplay: 'Austin/C',
          values: ['C', siteIds.get('Austin'), 'AGENT', null, null, null, null, null],
          content: [],
        },
      ]);
      expect(open.count).toBe(2);
      expect((await drain(open)).map((r) => r.keyNorm)).toEqual(['austin/a', 'austin/b']);
    } finally {
      await open.close();
    }
    const again = await records.openExport(orgId, team, 2);
    try {
      expect(again.count).toBe(2);
      expect((await drain(again)).map((r) => r.keyNorm)).toEqual([
        'austin/a',
        'austin/b',
        'austin/c',
      ]);
    } finally {
      await again.close();
    }
  });

  it('reads several types from one snapshot: a site and its team written between them are in neither', async () => {
    const { orgId } = await organizationWithTeams(['Austin'], ['A']);
    const snapshot = await records.openSnapshot(orgId);
    try {
      const sites = await snapshot.stream(site, null);
      expect(
        (await drain({ ...sites, close: () => Promise.resolve() })).map((r) => r.keyNorm),
      ).toEqual(['austin']);
      const later = await organizationWithTeams(['Boston'], ['B']);
      await context.dataSource.query(
        `UPDATE team SET organization_id = $1 WHERE organization_id = $2`,
        [orgId, later.orgId],
      );
      await context.dataSource.query(
        `UPDATE site SET organization_id = $1 WHERE organization_id = $2`,
        [orgId, later.orgId],
      );
      expect(await snapshot.count(team, null)).toBe(1);
      const page = await snapshot.page(team, null, 10);
      expect(page.records.map((r) => r.keyNorm)).toEqual(['austin/a']);
      const teams = await snapshot.stream(team, null);
      expect(teams.count).toBe(1);
      expect(
        (await drain({ ...teams, close: () => Promise.resolve() })).map((r) => r.keyNorm),
      ).toEqual(['austin/a']);
    } finally {
      await snapshot.close();
    }
    expect(inUse()).toBe(0);
    expect(
      await records.openSnapshot(orgId).then(async (s) => {
        try {
          return await s.count(team, null);
        } finally {
          await s.close();
        }
      }),
    ).toBe(2);
  });

  it('stops the query and returns the connection when the stream is destroyed part-way', async () => {
    const { orgId } = await organizationWithTeams(
      ['Austin'],
      Array.from({ length: 500 }, (_, i) => `Team ${i}`),
    );
    const open = await records.openExport(orgId, team);
    expect(inUse()).toBe(1);
    const [first] = (await once(open.records, 'data')) as [StoredRecord];
    expect(first.keyNorm).toBe('austin/team 0');
    open.records.destroy();
    await once(open.records, 'close');
    await open.close();
    const running = await context.dataSource.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state <> 'idle' AND query LIKE 'SELECT t.id, t.key_norm%ORDER BY t.key_norm'`,
    );
    expect(running).toEqual([{ n: 0 }]);
    expect(inUse()).toBe(0);
    expect(await context.dataSource.query('SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
  });

  it('pages by key after a cursor, each record once, naming only what the page references', async () => {
    const { orgId } = await organizationWithTeams(
      ['Austin', 'Boston', 'Chicago'],
      ['Sales', 'Support'],
    );
    const keys: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const page = await records.page(orgId, team, after, 4);
      pages += 1;
      keys.push(...page.records.map((r) => r.keyNorm));
      for (const record of page.records)
        expect(exportCells(team, record.values, page.names)[1]).toBe(
          record.keyDisplay.split('/')[0],
        );
      if (!page.more) break;
      after = page.records.at(-1)!.keyNorm;
    }
    expect(pages).toBe(2);
    expect(keys).toEqual([
      'austin/sales',
      'austin/support',
      'boston/sales',
      'boston/support',
      'chicago/sales',
      'chicago/support',
    ]);
    const austinOnly = await records.page(orgId, team, null, 2);
    const chicagoSite = (await records.page(orgId, team, 'chicago', 1)).records[0].values[1];
    expect(() => exportCells(team, ['Sales', chicagoSite], austinOnly.names)).toThrow(
      `stored site reference ${String(chicagoSite)} names no site of the organization`,
    );
  });
});
