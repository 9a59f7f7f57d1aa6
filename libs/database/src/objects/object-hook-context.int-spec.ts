import { ErrorCode } from '@bulkops/contracts';
import {
  getObject,
  storedValues,
  type HookUpdate,
  type ObjectDeclaration,
  type RowProblem,
} from '@bulkops/objects';
import { createOrganization, createTestContext, type TestContext } from '@bulkops/testing';
import { ObjectHookContext } from './object-hook-context';
import { ObjectTableRepository } from './object-table.repository';

describe('ObjectHookContext', () => {
  let context: TestContext;
  const tables = new ObjectTableRepository();
  const workType = getObject('work-type');
  const auxiliaryCode = getObject('auxiliary-code');
  const skillDefinition = getObject('skill-definition');
  const skillProfile = getObject('skill-profile');

  beforeAll(async () => {
    context = await createTestContext();
  });

  afterAll(async () => {
    await context?.dispose();
  });

  /** Writes objects the way the worker does; answers their ids by display key. */
  async function write(
    orgId: string,
    declaration: ObjectDeclaration,
    rows: readonly { key: string; values: unknown[] }[],
  ): Promise<Map<string, string>> {
    const written = await tables.upsert(
      context.dataSource.manager,
      declaration,
      orgId,
      rows.map((r) => ({
        keyNorm: r.key.toLowerCase(),
        keyDisplay: r.key,
        values: r.values,
        content: [],
      })),
    );
    return new Map(
      written.map((w) => [rows.find((r) => r.key.toLowerCase() === w.keyNorm)!.key, w.id]),
    );
  }

  function hookContext(orgId: string, declaration: ObjectDeclaration): ObjectHookContext {
    return new ObjectHookContext(context.dataSource.manager, declaration, orgId, []);
  }

  /** An organization with two work types and codes of each; another organization alike. */
  async function organizationWithCodes() {
    const { orgId } = await createOrganization(context.dataSource);
    const types = await write(orgId, workType, [
      { key: 'Breaks', values: ['Breaks', null, 'IDLE_CODE'] },
      { key: 'Outcomes', values: ['Outcomes', 'After calls', 'WRAP_UP_CODE'] },
    ]);
    const codes = await write(orgId, auxiliaryCode, [
      ...['Lunch', 'coffee', 'Meeting', 'Training', 'Admin', 'Away', 'Nap'].map((name) => ({
        key: name,
        values: [name, null, name === 'Lunch', types.get('Breaks')],
      })),
      { key: 'Sold', values: ['Sold', null, true, types.get('Outcomes')] },
    ]);
    return { orgId, types, codes };
  }

  it('reads records of a type by id with their values by column, for its own organization only', async () => {
    const { orgId, types } = await organizationWithCodes();
    const other = await organizationWithCodes();
    const found = await hookContext(orgId, auxiliaryCode).records<ObjectDeclaration>('work-type', [
      types.get('Outcomes')!,
      other.types.get('Breaks')!,
    ]);
    expect([...found.values()].map((w) => [w.id, w.keyDisplay, w.get('Type')])).toEqual([
      [types.get('Outcomes'), 'Outcomes', 'WRAP_UP_CODE'],
    ]);
    expect(found.get(types.get('Outcomes')!)!.get('Description')).toBe('After calls');
  });

  it("finds the hook type's objects by a column's value and updates a column of some", async () => {
    const { orgId, codes } = await organizationWithCodes();
    await organizationWithCodes();
    const hooks = hookContext(orgId, auxiliaryCode);
    const defaults = await hooks.recordsWhere('Default', true);
    expect(defaults.map((c) => c.keyDisplay).sort()).toEqual(['Lunch', 'Sold']);
    await hooks.update([codes.get('Lunch')!], 'Default', false);
    expect((await hooks.recordsWhere('Default', true)).map((c) => c.keyDisplay)).toEqual(['Sold']);
  });

  it('counts the referrers of each id and names the first five in key order', async () => {
    const { orgId, types } = await organizationWithCodes();
    await organizationWithCodes();
    const referrers = await hookContext(orgId, workType).referrers<ObjectDeclaration>(
      'auxiliary-code',
      [types.get('Breaks')!, types.get('Outcomes')!],
      { through: ['Work Type'] },
    );
    expect(Object.fromEntries(referrers)).toEqual({
      [types.get('Breaks')!]: {
        keys: ['Admin', 'Away', 'coffee', 'Lunch', 'Meeting'],
        count: 7,
      },
      [types.get('Outcomes')!]: { keys: ['Sold'], count: 1 },
    });
  });

  it('counts only referrers whose column differs from the value given for the id', async () => {
    const { orgId, types } = await organizationWithCodes();
    const referrers = await hookContext(orgId, workType).referrers<ObjectDeclaration>(
      'auxiliary-code',
      [types.get('Breaks')!, types.get('Outcomes')!],
      {
        through: ['Work Type'],
        differing: {
          column: 'Default',
          from: new Map([
            [types.get('Breaks')!, false],
            [types.get('Outcomes')!, true],
          ]),
        },
      },
    );
    expect(Object.fromEntries(referrers)).toEqual({
      [types.get('Breaks')!]: { keys: ['Lunch'], count: 1 },
    });
  });

  it('groups referrers by what each reference says about the object (the value a grant grants)', async () => {
    const { orgId } = await createOrganization(context.dataSource);
    const skills = await write(orgId, skillDefinition, [
      { key: 'Language', values: ['Language', null, 30, 'ENUM', ['English', 'French']] },
      { key: 'Sales', values: ['Sales', null, 30, 'PROFICIENCY', null] },
    ]);
    const language = skills.get('Language')!;
    const sales = skills.get('Sales')!;
    await write(orgId, skillProfile, [
      {
        key: 'Gold',
        values: [
          'Gold',
          null,
          [
            { id: language, value: 'English' },
            { id: language, value: 'French' },
            { id: sales, value: '5' },
          ],
        ],
      },
      { key: 'Basic', values: ['Basic', null, [{ id: language, value: 'English' }]] },
    ]);
    const grants = await hookContext(orgId, skillDefinition).referrersByDetail<ObjectDeclaration>(
      'skill-profile',
      [language],
      { through: ['Skills'] },
    );
    expect(
      Object.fromEntries([...grants].map(([id, byValue]) => [id, Object.fromEntries(byValue)])),
    ).toEqual({
      [language]: {
        English: { keys: ['Basic', 'Gold'], count: 2 },
        French: { keys: ['Gold'], count: 1 },
      },
    });
  });

  it('rejects the rows whose objects are still referenced, with the problem their referrers state', async () => {
    const { orgId, types } = await organizationWithCodes();
    const unused = await write(orgId, workType, [
      { key: 'Unused', values: ['Unused', null, 'IDLE_CODE'] },
    ]);
    const problems = new Map<string, RowProblem[]>();
    const row = (id: string): HookUpdate<ObjectDeclaration> => ({
      action: 'upsert',
      id,
      keyDisplay: id,
      existing: storedValues(workType, []),
      rejected: false,
      ...storedValues(workType, []),
      reject: (problem) => problems.set(id, [...(problems.get(id) ?? []), problem]),
    });
    await hookContext(orgId, workType).rejectWhileReferenced<ObjectDeclaration>(
      'auxiliary-code',
      [row(types.get('Outcomes')!), row(unused.get('Unused')!)],
      { through: ['Work Type'] },
      (_row, codes) => ({ code: ErrorCode.InUse, message: `used by ${codes.keys.join(', ')}` }),
    );
    expect(Object.fromEntries(problems)).toEqual({
      [types.get('Outcomes')!]: [{ code: ErrorCode.InUse, message: 'used by Sold' }],
    });
  });

  it('refuses a search through a column that does not reference the hook type', async () => {
    const { orgId, types } = await organizationWithCodes();
    await expect(
      hookContext(orgId, workType).referrers<ObjectDeclaration>(
        'auxiliary-code',
        [types.get('Breaks')!],
        {
          through: ['Name'],
        },
      ),
    ).rejects.toThrow('auxiliary-code.Name does not reference work-type');
  });

  it("holds a named lock of the organization until the holder's transaction ends", async () => {
    const { orgId } = await createOrganization(context.dataSource);
    const other = await createOrganization(context.dataSource);
    const holder = context.dataSource.createQueryRunner();
    const waiter = context.dataSource.createQueryRunner();
    /** Whether `runner` gets the lock within 200 ms. */
    const takes = async (runner: typeof holder, org: string): Promise<boolean> => {
      await runner.startTransaction();
      await runner.query(`SET LOCAL lock_timeout = '200ms'`);
      try {
        await new ObjectHookContext(runner.manager, auxiliaryCode, org, []).lock('default');
        return true;
      } catch (error) {
        if (!/lock timeout/.test(String(error))) throw error;
        return false;
      } finally {
        await runner.rollbackTransaction();
      }
    };
    try {
      await holder.startTransaction();
      await new ObjectHookContext(holder.manager, auxiliaryCode, orgId, []).lock('default');
      expect(await takes(waiter, orgId)).toBe(false);
      expect(await takes(waiter, other.orgId)).toBe(true);
      await holder.commitTransaction();
      expect(await takes(waiter, orgId)).toBe(true);
    } finally {
      if (holder.isTransactionActive) await holder.rollbackTransaction();
      await holder.release();
      await waiter.release();
    }
  });
});
