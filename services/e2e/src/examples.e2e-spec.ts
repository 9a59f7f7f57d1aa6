import { join } from 'node:path';
import { OBJECT_TYPES } from '@bulkops/objects';
import {
  bulkops,
  createOrganization,
  startServices,
  stopServices,
  type Stack,
  type TestContext,
  type TestOrganization,
} from '@bulkops/testing';

const EXAMPLE = join(__dirname, '..', '..', '..', 'examples', 'contact-center');

/**
 * The example contact center (examples/contact-center) with the README's command: every type imports
 * in dependency order as one COMPLETED bundle job, and deleting in reverse order empties every table.
 */
describe('the example contact center', () => {
  let context: TestContext;
  let stack: Stack;
  let org: TestOrganization;
  const cli = (...args: string[]) => bulkops(stack.gatewayUrl, org.adminToken, args);

  beforeAll(async () => {
    ({ context, stack } = await startServices());
    org = await createOrganization(context.dataSource);
  });

  afterAll(() => stopServices({ context, stack }));

  async function counts(): Promise<Record<string, number>> {
    const result: Record<string, number> = {};
    for (const declaration of OBJECT_TYPES) {
      const [row] = await context.dataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM "${declaration.table}" WHERE organization_id = $1`,
        [org.orgId],
      );
      result[declaration.type] = row.n;
    }
    return result;
  }

  it('imports every type as one bundle job, in dependency order, COMPLETED', async () => {
    const { stdout } = await cli('import-dir', EXAMPLE);
    const lines = stdout.trim().split('\n');
    expect(lines.at(-1)).toMatch(
      new RegExp(
        `^bundle of ${OBJECT_TYPES.length} files +bundle +Completed +\\d+ created, 0 updated, 0 deleted, 0 unchanged, 0 failed$`,
      ),
    );
    expect(lines.slice(0, -1).map((line) => line.split(/\s+/)[1])).toEqual(
      OBJECT_TYPES.map((d) => d.type),
    );
    for (const line of lines.slice(0, -1))
      expect(line).toMatch(/ \d+ created, 0 updated, 0 deleted, 0 unchanged, 0 failed$/);
    const after = await counts();
    expect(after).toMatchObject({ site: 3, 'audio-file': 4, team: 5, queue: 4, user: 36 });
    expect(Object.entries(after).filter(([, n]) => n === 0)).toEqual([]);
  });

  it('deletes everything in reverse order, leaving every object table empty', async () => {
    const { stdout } = await cli('delete-dir', EXAMPLE);
    expect(stdout.trim().split('\n').at(-1)).toBe(`deleted ${OBJECT_TYPES.length} files`);
    expect(Object.values(await counts()).every((n) => n === 0)).toBe(true);
    expect(await counts()).toEqual(Object.fromEntries(OBJECT_TYPES.map((d) => [d.type, 0])));
  });
});
