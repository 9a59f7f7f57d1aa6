import { OBJECT_TYPES } from '@bulkops/objects';
import {
  type ApiDriver,
  createOrganization,
  fixturesOf,
  type Stack,
  type TestContext,
  type TestOrganization,
  startServices,
  stopServices,
} from '@bulkops/testing';

/**
 * Every declared type, table-driven from its fixtures (libs/objects/src/types/<type>/fixtures): the
 * valid fixtures build one small contact center in dependency order with exact counts; applied
 * again, every row is unchanged; each invalid fixture yields exactly its expected row errors
 * (message text included) and changes nothing.
 */
describe('each object type, driven by its fixtures', () => {
  let context: TestContext;
  let stack: Stack;
  let api: ApiDriver;
  let org: TestOrganization;
  const allTypes = OBJECT_TYPES.map((d) => ({ type: d.type, fixtures: fixturesOf(d.type) }));
  // A type whose fixtures have not landed yet fails the first test only, not the contact center the others build.
  const withFixtures = allTypes.flatMap(({ type, fixtures }) =>
    fixtures ? [{ type, fixtures }] : [],
  );

  beforeAll(async () => {
    ({ context, stack, api } = await startServices());
    org = await createOrganization(context.dataSource);
  });

  afterAll(() => stopServices({ context, stack }));

  it('has fixtures for every type', () => {
    expect(allTypes.filter((t) => !t.fixtures).map((t) => t.type)).toEqual([]);
  });

  it('applies every valid fixture in dependency order, creating every row', async () => {
    for (const { type, fixtures } of withFixtures) {
      const job = await api.run(org.adminToken, type, {
        name: fixtures.validName,
        content: fixtures.valid,
      });
      const report = await api.errorRows(org.adminToken, job.id);
      expect({ type, status: job.status, errors: report.slice(1) }).toEqual({
        type,
        status: 'COMPLETED',
        errors: [],
      });
      expect(job.counts.created).toBe(job.counts.total);
      expect(job.counts.total).toBeGreaterThan(0);
    }
  });

  it('reports every row unchanged when the valid fixtures are applied again', async () => {
    for (const { type, fixtures } of withFixtures) {
      const job = await api.run(org.adminToken, type, {
        name: fixtures.validName,
        content: fixtures.valid,
      });
      expect({ type, counts: job.counts }).toEqual({
        type,
        counts: expect.objectContaining({
          unchanged: job.counts.total,
          created: 0,
          updated: 0,
          deleted: 0,
          failed: 0,
        }),
      });
    }
  });

  it('rejects every row of each invalid fixture with the expected message and changes nothing', async () => {
    const before = await snapshot();
    for (const { type, fixtures } of withFixtures) {
      const job = await api.run(org.adminToken, type, {
        name: fixtures.invalidName,
        content: fixtures.invalid,
      });
      const report = await api.errorRows(org.adminToken, job.id);
      // Media fixtures name the Source File too, and may expect an empty Source Row (null).
      const withFile = fixtures.expected.some((e) => e.file !== undefined);
      const got = report.slice(1).map((row) => ({
        ...(withFile ? { file: row.at(-3) } : {}),
        row: row.at(-2) === '' ? null : Number(row.at(-2)),
        message: row.at(-1),
      }));
      expect({ type, errors: got }).toEqual({ type, errors: fixtures.expected });
      expect(job.counts).toMatchObject({
        failed: job.counts.total,
        created: 0,
        updated: 0,
        deleted: 0,
      });
    }
    expect(await snapshot()).toEqual(before);
  });

  /** Every object table's rows of the organization, to prove invalid uploads change nothing. */
  async function snapshot(): Promise<Record<string, unknown[]>> {
    const tables: Record<string, unknown[]> = {};
    for (const declaration of OBJECT_TYPES) {
      tables[declaration.type] = await context.dataSource.query(
        `SELECT * FROM "${declaration.table}" WHERE organization_id = $1 ORDER BY key_norm`,
        [org.orgId],
      );
    }
    return tables;
  }
});
