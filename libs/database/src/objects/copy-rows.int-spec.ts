import { createTestContext, type TestContext } from '@bulkops/testing';
import { copyRows, type CopyColumn } from './copy-rows';

describe('copyRows (COPY in binary format)', () => {
  let context: TestContext;

  beforeAll(async () => {
    context = await createTestContext();
  });

  afterAll(async () => {
    await context?.dispose();
  });

  const columns: CopyColumn[] = [
    { dbColumn: 'n', pgType: 'integer' },
    { dbColumn: 't', pgType: 'text' },
    { dbColumn: 'b', pgType: 'boolean' },
    { dbColumn: 'u', pgType: 'uuid' },
    { dbColumn: 'ta', pgType: 'text[]' },
    { dbColumn: 'ua', pgType: 'uuid[]' },
    { dbColumn: 'j', pgType: 'jsonb' },
  ];
  const id = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11';
  const other = '018f3c2e-7a1b-7c3d-8e4f-a5b6c7d8e9f0';

  it('stores every column type as Postgres reads it back: NULLs, limits and awkward text included', async () => {
    const rows: unknown[][] = [
      [
        -2147483648,
        'tab\there\nline\r\\N "quoted", {braced} 東京 🎧',
        true,
        id,
        ['a,b', '{c}', 'say "hi"', 'NULL', '', 'x\\y', '🎧'],
        [id, other],
        { skills: [{ name: 'tab\there', level: 3 }], none: null },
      ],
      [2147483647, '', false, other, [], [], []],
      [0, null, null, null, null, null, null],
      [1, 'x', true, id, ['a', null], [null, other], 'a JSON string'],
    ];
    const stored = await context.dataSource.transaction(async (manager) => {
      await manager.query(
        `CREATE TEMP TABLE copied (n integer, t text, b boolean, u uuid, ta text[], ua uuid[], j jsonb)
           ON COMMIT DROP`,
      );
      await copyRows(manager, 'copied', columns, rows);
      return manager.query(
        `SELECT n, t, b, u::text AS u, ta, ua::text[] AS ua, j FROM copied ORDER BY n`,
      );
    });
    const expected = [...rows].sort((a, b) => (a[0] as number) - (b[0] as number));
    expect(stored.map((row: Record<string, unknown>) => Object.values(row))).toEqual(expected);
  });

  it('sends nothing for no rows, and fails the COPY on a value of the wrong type', async () => {
    await context.dataSource.transaction(async (manager) => {
      await manager.query(`CREATE TEMP TABLE copied_none (u uuid) ON COMMIT DROP`);
      await copyRows(manager, 'copied_none', [{ dbColumn: 'u', pgType: 'uuid' }], []);
      await expect(
        copyRows(manager, 'copied_none', [{ dbColumn: 'u', pgType: 'uuid' }], [['nope']]),
      ).rejects.toThrow('not a UUID: nope');
    });
  });
});
