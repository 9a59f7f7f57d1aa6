import { getObject } from '@bulkops/objects';
import { createOrganization, createTestContext, type TestContext } from '@bulkops/testing';
import { selectRecords } from './object-rows';
import { ObjectTableRepository, type RecordToWrite } from './object-table.repository';

describe('ObjectTableRepository.insert (COPY)', () => {
  let context: TestContext;
  const tables = new ObjectTableRepository();
  const site = getObject('site');

  beforeAll(async () => {
    context = await createTestContext();
  });

  afterAll(async () => {
    await context?.dispose();
  });

  const siteRecord = (name: string, profile: string | null): RecordToWrite => ({
    keyNorm: name.toLowerCase(),
    keyDisplay: name,
    values: [name, profile],
    content: [],
  });

  /** Cells COPY's text format must escape or must leave alone. */
  const awkward = ['tab\there', 'line\nbreak', 'back\\slash', 'quote " and, comma', '\\N', '{x}'];

  it('stores exactly what the upsert stores, awkward characters included', async () => {
    const { orgId } = await createOrganization(context.dataSource);
    await context.dataSource.transaction(async (manager) => {
      const copied = await tables.insert(
        manager,
        site,
        orgId,
        awkward.map((text, i) => siteRecord(`Copied ${i}`, text)),
      );
      expect(copied.every((w) => w.created)).toBe(true);
      await tables.upsert(
        manager,
        site,
        orgId,
        awkward.map((text, i) => siteRecord(`Upserted ${i}`, text)),
      );
      const copiedIds = new Set(copied.map((w) => w.id));
      const names = awkward.flatMap((_, i) => [`copied ${i}`, `upserted ${i}`]);
      const stored = await selectRecords(manager, site, orgId, 't.key_norm = ANY($2)', names);
      const byName = new Map(stored.map((r) => [r.keyDisplay, r]));
      awkward.forEach((text, i) => {
        expect(byName.get(`Copied ${i}`)!.values).toEqual([`Copied ${i}`, text]);
        expect(byName.get(`Upserted ${i}`)!.values).toEqual([`Upserted ${i}`, text]);
        expect(copiedIds.has(byName.get(`Copied ${i}`)!.id)).toBe(true);
      });
    });
  });

  it('falls back to the upsert when a key is stored after all, and counts it as such', async () => {
    const { orgId } = await createOrganization(context.dataSource);
    const [first] = await tables.upsert(context.dataSource.manager, site, orgId, [
      siteRecord('Austin', 'MMP'),
    ]);
    const written = await context.dataSource.transaction((manager) =>
      tables.insert(manager, site, orgId, [
        siteRecord('Austin', 'Other'),
        siteRecord('Boston', 'MMP'),
      ]),
    );
    expect(written.find((w) => w.keyNorm === 'austin')).toEqual({
      id: first.id,
      keyNorm: 'austin',
      created: false,
    });
    expect(written.find((w) => w.keyNorm === 'boston')?.created).toBe(true);
    const stored = await selectRecords(
      context.dataSource.manager,
      site,
      orgId,
      't.key_norm = ANY($2)',
      ['austin', 'boston'],
    );
    expect(stored.map((r) => [r.keyDisplay, r.values[1]]).sort()).toEqual([
      ['Austin', 'Other'],
      ['Boston', 'MMP'],
    ]);
  });

  it('stores every row of many batches, text of any script and a row larger than a batch buffer', async () => {
    const { orgId } = await createOrganization(context.dataSource);
    // 1,234 rows: several batches of 500 and a part batch. Every 100th profile is wider than a
    // batch's first buffer (256 KB) once encoded, in letters UTF-8 writes as 2, 3 and 4 bytes.
    const profileOf = (i: number) =>
      i % 100 === 7 ? `Straße 東京 🎧 ${i} `.repeat(12_000) : `Profil ${i} — café 東京 🎧\tend`;
    const records = Array.from({ length: 1234 }, (_, i) => siteRecord(`Site ${i}`, profileOf(i)));
    await context.dataSource.transaction(async (manager) => {
      const written = await tables.insert(manager, site, orgId, records);
      expect(written).toHaveLength(1234);
      const stored = await selectRecords(manager, site, orgId, 't.key_norm LIKE $2', 'site %');
      expect(stored).toHaveLength(1234);
      const byName = new Map(stored.map((r) => [r.keyDisplay, r.values[1]]));
      records.forEach((record, i) => expect(byName.get(`Site ${i}`)).toBe(profileOf(i)));
    });
  });

  it('gives new objects time-ordered ids, so their primary-key entries go to the end of the index', async () => {
    const { orgId } = await createOrganization(context.dataSource);
    const written = await context.dataSource.transaction((manager) =>
      tables.insert(
        manager,
        site,
        orgId,
        Array.from({ length: 300 }, (_, i) => siteRecord(`Ordered ${i}`, 'MMP')),
      ),
    );
    const ids = written.map((w) => w.id);
    // Version 7 (RFC 9562): the version digit is 7 and the ids sort in the order they were made.
    expect(ids.every((id) => id[14] === '7')).toBe(true);
    expect([...ids].sort()).toEqual(ids);
  });
});
