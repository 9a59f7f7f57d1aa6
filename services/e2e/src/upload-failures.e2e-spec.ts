import {
  type ApiDriver,
  buildZip,
  createOrganization,
  type Stack,
  type TestContext,
  type TestOrganization,
  type Upload,
  startServices,
  stopServices,
} from '@bulkops/testing';

const HEADER = 'Name,Multimedia Profile';
const siteRows = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => `Site ${String(from + i).padStart(5, '0')},MMP`).join(
    '\n',
  );

/** A zip whose single entry sits outside the top level (`../evil.csv`), which zip tools refuse to write. */
async function zipWithParentPath(): Promise<Buffer> {
  const zip = await buildZip([{ name: 'xx/evil.csv', content: `${HEADER}\nEvil,MMP\n` }]);
  return Buffer.from(zip.toString('latin1').replaceAll('xx/evil.csv', '../evil.csv'), 'latin1');
}

/**
 * File-level problems (spec/architecture.md step 2): the job ends FAILED with a failure code and
 * message, and nothing is applied — not even the valid files of the same zip.
 */
describe('an upload that cannot be applied as a whole', () => {
  let context: TestContext;
  let stack: Stack;
  let api: ApiDriver;
  let org: TestOrganization;

  beforeAll(async () => {
    ({ context, stack, api } = await startServices());
    org = await createOrganization(context.dataSource);
    const seeded = await api.run(org.adminToken, 'site', {
      name: 'seed.csv',
      content: `${HEADER}\nAustin,MMP\n`,
    });
    expect(seeded.status).toBe('COMPLETED');
  });

  afterAll(() => stopServices({ context, stack }));

  async function sites(): Promise<string[]> {
    const rows: { name: string }[] = await context.dataSource.query(
      `SELECT name FROM site WHERE organization_id = $1 ORDER BY name`,
      [org.orgId],
    );
    return rows.map((r) => r.name);
  }

  const cases: [string, () => Upload | Promise<Upload>, string, RegExp, string | null][] = [
    [
      'a file of 5001 rows',
      () => ({ name: 'many.csv', content: `${HEADER}\n${siteRows(0, 5001)}\n` }),
      'TOO_MANY_ROWS',
      /many\.csv has more than 5000 rows; the limit is 5000 per file/,
      'many.csv',
    ],
    [
      'a file over 10 MB inside a zip (after a valid one)',
      async () => ({
        name: 'big.zip',
        content: await buildZip([
          { name: 'a.csv', content: `${HEADER}\nFine,MMP\n` },
          {
            name: 'b.csv',
            content: `${HEADER}\nBig,${'x'.repeat(80)}\n`.padEnd(10 * 1024 * 1024 + 100, 'y'),
          },
        ]),
      }),
      'FILE_TOO_LARGE',
      /b\.csv is .*the limit is 10 MB/,
      'b.csv',
    ],
    [
      'a missing required column',
      () => ({ name: 'missing.csv', content: 'Name\nFine,\n' }),
      'MISSING_COLUMN',
      /missing\.csv has no 'Multimedia Profile' column; add it to the header/,
      'missing.csv',
    ],
    [
      'an unknown column',
      () => ({ name: 'unknown.csv', content: `${HEADER},Colour\nFine,MMP,Red\n` }),
      'UNKNOWN_COLUMN',
      /unknown\.csv has an unknown column 'Colour' \(header column 3\); the site columns are Name, Multimedia Profile, Action/,
      'unknown.csv',
    ],
    [
      'a column listed twice',
      () => ({ name: 'twice.csv', content: `${HEADER},NAME\nFine,MMP,Fine\n` }),
      'DUPLICATE_COLUMN',
      /twice\.csv has the column 'Name' twice \(header columns 1 and 3\); keep one/,
      'twice.csv',
    ],
    [
      'malformed quoting',
      () => ({ name: 'quotes.csv', content: `${HEADER}\nFine,MMP\n"Aus"tin,MMP\n` }),
      'MALFORMED_CSV',
      /quotes\.csv is not valid CSV at row 3 \(line 3\): a closing quote is followed by 't' instead of a comma or the end of the line/,
      'quotes.csv',
    ],
    [
      'a quoted cell that never closes',
      () => ({ name: 'open.csv', content: `${HEADER}\nFine,MMP\n"Multi\nline,MMP\nOther,MMP\n` }),
      'MALFORMED_CSV',
      /open\.csv is not valid CSV at row 3 \(line 6\): the quoted cell opened on line 3 is never closed/,
      'open.csv',
    ],
    [
      'text that is not UTF-8',
      () => ({ name: 'latin1.csv', content: Buffer.from(`${HEADER}\nZürich,MMP\n`, 'latin1') }),
      'INVALID_ENCODING',
      /latin1\.csv is not UTF-8 text .* save it as "CSV UTF-8"/,
      'latin1.csv',
    ],
    [
      'an empty file',
      () => ({ name: 'empty.csv', content: '' }),
      'EMPTY_FILE',
      /empty\.csv is empty; its first line must be the header/,
      'empty.csv',
    ],
    [
      'a zip with a file that is not CSV',
      async () => ({
        name: 'mixed.zip',
        content: await buildZip([
          { name: 'a.csv', content: `${HEADER}\nFine,MMP\n` },
          { name: 'notes.txt', content: 'hello' },
        ]),
      }),
      'UNEXPECTED_ZIP_ENTRY',
      /mixed\.zip contains 'notes\.txt': only \.csv files may be in a site zip/,
      'notes.txt',
    ],
    [
      'a zip with a file inside a folder',
      async () => ({
        name: 'nested.zip',
        content: await buildZip([
          { name: 'a.csv', content: `${HEADER}\nFine,MMP\n` },
          { name: 'more/b.csv', content: `${HEADER}\nOther,MMP\n` },
        ]),
      }),
      'UNEXPECTED_ZIP_ENTRY',
      /nested\.zip contains 'more\/b\.csv', which is inside a folder; put the files at the top level/,
      'more/b.csv',
    ],
    [
      'a zip with a path outside the top level',
      async () => ({ name: 'evil.zip', content: await zipWithParentPath() }),
      'UNEXPECTED_ZIP_ENTRY',
      /evil\.zip contains '\.\.\/evil\.csv'/,
      '../evil.csv',
    ],
    [
      'a .zip that is not a zip',
      () => ({ name: 'fake.zip', content: `${HEADER}\nFine,MMP\n` }),
      'INVALID_ZIP',
      /fake\.zip is not a zip file/,
      'fake.zip',
    ],
  ];

  it.each(cases)(
    'fails the job for %s and changes nothing',
    async (_name, upload, code, message, file) => {
      const before = await sites();
      const job = await api.run(org.adminToken, 'site', await upload());
      expect(job.status).toBe('FAILED');
      expect(job.failure).toEqual({ code, message: expect.stringMatching(message), file });
      expect(job.counts).toMatchObject({ processed: 0, created: 0, updated: 0, deleted: 0 });
      expect(await sites()).toEqual(before);
      expect((await api.errorRows(org.adminToken, job.id)).slice(1)).toEqual([]);
    },
  );

  it('refuses a bare CSV over 10 MB at the door with 413 FILE_TOO_LARGE', async () => {
    const answer = await api.submit(org.adminToken, 'site', {
      name: 'huge.csv',
      content: Buffer.alloc(10 * 1024 * 1024 + 1, 'a'),
    });
    expect(answer.status).toBe(413);
    expect(answer.body).toMatchObject({
      statusCode: 413,
      error: 'Payload Too Large',
      code: 'FILE_TOO_LARGE',
      message: expect.stringContaining('huge.csv is larger than 10 MB'),
    });
    expect((await api.get('/v1/jobs/active', org.adminToken)).status).toBe(204);
  });

  it('accepts UTF-8 with a BOM, CRLF line ends, any header order and case, and skips blank lines', async () => {
    const job = await api.run(org.adminToken, 'site', {
      name: 'bom.csv',
      content:
        '\uFEFFmultimedia   PROFILE ,name\r\n\r\nMMP Zürich,Zurich\r\n,,\r\n"MMP, København",Copenhagen\r\n',
    });
    expect(job).toMatchObject({
      status: 'COMPLETED',
      counts: { total: 2, created: 2 },
      files: [{ name: 'bom.csv', rows: 2 }],
    });
    expect(
      await context.dataSource.query(
        `SELECT name, multimedia_profile FROM site WHERE organization_id = $1 AND name IN ('Zurich', 'Copenhagen') ORDER BY name`,
        [org.orgId],
      ),
    ).toEqual([
      { name: 'Copenhagen', multimedia_profile: 'MMP, København' },
      { name: 'Zurich', multimedia_profile: 'MMP Zürich' },
    ]);
  });

  it('completes a file with a header and no rows with zero counts', async () => {
    const job = await api.run(org.adminToken, 'site', {
      name: 'header-only.csv',
      content: `${HEADER}\r\n`,
    });
    expect(job).toMatchObject({
      status: 'COMPLETED',
      counts: { total: 0, processed: 0 },
      progress: 1,
    });
  });

  it('rejects every copy of a key repeated in one job, naming the other rows, also across the files of a zip', async () => {
    const zip = await buildZip([
      { name: 'b.csv', content: `${HEADER}\nLisbon,MMP\nPorto,MMP\n` },
      { name: 'a.csv', content: `${HEADER}\nPorto,MMP\nMadrid,MMP\nporto ,MMP\n` },
    ]);
    const job = await api.run(org.adminToken, 'site', { name: 'dupes.zip', content: zip });
    expect(job).toMatchObject({
      status: 'COMPLETED_WITH_ERRORS',
      counts: { total: 5, created: 2, failed: 3 },
      files: [
        { name: 'a.csv', rows: 3 },
        { name: 'b.csv', rows: 2 },
      ],
    });
    expect((await api.errorRows(org.adminToken, job.id)).slice(1)).toEqual([
      [
        'Porto',
        'MMP',
        'a.csv',
        '2',
        "Name: 'Porto' is also on row 4, row 3 of b.csv; a site may appear on one row of a job only, so keep one of these rows",
      ],
      [
        'porto ',
        'MMP',
        'a.csv',
        '4',
        "Name: 'Porto' is also on row 2, row 3 of b.csv; a site may appear on one row of a job only, so keep one of these rows",
      ],
      [
        'Porto',
        'MMP',
        'b.csv',
        '3',
        "Name: 'Porto' is also on row 2 of a.csv, row 4 of a.csv; a site may appear on one row of a job only, so keep one of these rows",
      ],
    ]);
    expect(await sites()).toEqual(expect.arrayContaining(['Lisbon', 'Madrid']));
    expect(await sites()).not.toContain('Porto');
  });
});
