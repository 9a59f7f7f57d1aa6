import { spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { csvText } from '@bulkops/csv';
import { getObject, OBJECT_TYPES, type ObjectDeclaration } from '@bulkops/objects';
import type { Page, RecordView } from '@bulkops/contracts';
import {
  type ApiDriver,
  cloneRecords,
  type Answer,
  createOrganization,
  fixturesOf,
  readZip,
  type Stack,
  type TestContext,
  type TestOrganization,
  startServices,
  stopServices,
} from '@bulkops/testing';
import { csvRows, editOneCell, importValidFixtures, rowKeys, storedCells } from './support/exports';

const WORKSPACE = join(__dirname, '..', '..', '..');

/**
 * `GET /v1/objects/{type}/export` and `/records` through the built services (spec/api.md,
 * objects.md §1.9): the export of every type imports back unchanged, formula-like and non-ASCII
 * values come back exactly, organizations never see each other's records, and the JSON pages hold
 * every record once. Large exports (zip parts, client disconnect) are in export-large.e2e-spec.ts.
 */
describe('exporting the records of an object type', () => {
  let context: TestContext;
  let stack: Stack;
  let api: ApiDriver;

  beforeAll(async () => {
    ({ context, stack, api } = await startServices());
  });

  afterAll(() => stopServices({ context, stack }));

  const q = <T = any>(sql: string, params: unknown[]) => context.dataSource.query<T[]>(sql, params);

  describe('each CSV type with fixtures, in registry order', () => {
    const withFixtures = OBJECT_TYPES.filter(
      (d) => d.file === 'csv' && fixturesOf(d.type) !== null,
    );
    let org: TestOrganization;

    beforeAll(async () => {
      org = await createOrganization(context.dataSource);
      // Every type's fixtures, media types included: CSV fixtures may reference their records.
      await importValidFixtures(api, org.adminToken, OBJECT_TYPES);
    });

    it('covers the types that have fixtures', () => {
      expect(withFixtures.map((d) => d.type)).toEqual(
        expect.arrayContaining(['site', 'skill-definition', 'skill-profile', 'team']),
      );
    });

    it.each(withFixtures.map((d) => [d.type, d] as const))(
      'exports %s sorted by key, re-imports it unchanged, and counts one edited cell as one update',
      async (type, declaration: ObjectDeclaration) => {
        const exported = await api.download(`/v1/objects/${type}/export`, org.viewerToken);
        expect(exported.status).toBe(200);
        expect(exported.headers.get('content-type')).toBe('text/csv; charset=utf-8');
        expect(exported.headers.get('content-disposition')).toBe(
          `attachment; filename="${type}.csv"`,
        );
        const rows = csvRows(exported.bytes);
        expect(rows[0]).toEqual(declaration.header);
        const stored = await q<{ key_norm: string }>(
          `SELECT key_norm FROM "${declaration.table}" WHERE organization_id = $1 ORDER BY key_norm`,
          [org.orgId],
        );
        expect(rowKeys(declaration, rows)).toEqual(stored.map((r) => r.key_norm));
        expect(
          rows
            .slice(1)
            .every((row) => row.length === declaration.header.length && row.at(-1) === ''),
        ).toBe(true);

        const again = await api.run(org.adminToken, type, {
          name: `${type}.csv`,
          content: exported.bytes,
        });
        expect({
          status: again.status,
          errors: (await api.errorRows(org.adminToken, again.id)).slice(1),
        }).toEqual({ status: 'COMPLETED', errors: [] });
        expect(again.counts).toMatchObject({
          total: stored.length,
          unchanged: stored.length,
          created: 0,
          updated: 0,
          deleted: 0,
          failed: 0,
        });

        const edit = editOneCell(declaration, rows);
        const edited = await api.run(org.adminToken, type, {
          name: `${type}.csv`,
          content: csvText(edit.rows),
        });
        expect({ edit, counts: edited.counts }).toEqual({
          edit,
          counts: expect.objectContaining({
            total: stored.length,
            updated: 1,
            unchanged: stored.length - 1,
            created: 0,
            deleted: 0,
            failed: 0,
          }),
        });
        const after = storedCells(
          csvRows((await api.download(`/v1/objects/${type}/export`, org.viewerToken)).bytes),
        );
        expect(after[edit.row][rows[0].indexOf(edit.column)]).toBe(edit.to);
      },
    );
  });

  it('neutralises cells that start like a formula and the re-import restores the exact stored values', async () => {
    const org = await createOrganization(context.dataSource);
    await api.run(org.adminToken, 'site', {
      name: 'sites.csv',
      content: 'Name,Multimedia Profile\r\nAustin,=HYPERLINK("x")\r\n',
    });
    // "''=…" in an upload stores "'=…": the importer removes exactly one quote before a trigger.
    const skills = csvText([
      ['Name', 'Description', 'Service Level Threshold', 'Type'],
      ['Alpha', '=SUM(A1:A3)', '30', 'TEXT'],
      ['Bravo', '-5 minutes of patience', '30', 'TEXT'],
      ['Charlie', '@mention the lead', '30', 'TEXT'],
      ['Delta', "''=already quoted", '30', 'TEXT'],
      ['Echo', "it's fine", '30', 'TEXT'],
    ]);
    expect(
      (await api.run(org.adminToken, 'skill-definition', { name: 'skills.csv', content: skills }))
        .counts.created,
    ).toBe(5);
    const team = 'Name,Site,Type,DN,Capacity\r\nOverflow,Austin,CAPACITY,+15125550100,25\r\n';
    expect(
      (await api.run(org.adminToken, 'team', { name: 'teams.csv', content: team })).counts.created,
    ).toBe(1);
    const storedSkills = () =>
      q(
        `SELECT name, description FROM skill_definition WHERE organization_id = $1 ORDER BY key_norm`,
        [org.orgId],
      );
    const storedRest = async () => [
      ...(await q(`SELECT multimedia_profile AS value FROM site WHERE organization_id = $1`, [
        org.orgId,
      ])),
      ...(await q(`SELECT dn AS value FROM team WHERE organization_id = $1`, [org.orgId])),
    ];
    const expected = [
      { name: 'Alpha', description: '=SUM(A1:A3)' },
      { name: 'Bravo', description: '-5 minutes of patience' },
      { name: 'Charlie', description: '@mention the lead' },
      { name: 'Delta', description: "'=already quoted" },
      { name: 'Echo', description: "it's fine" },
    ];
    expect(await storedSkills()).toEqual(expected);
    expect(await storedRest()).toEqual([{ value: '=HYPERLINK("x")' }, { value: '+15125550100' }]);

    const exports: Record<string, Buffer> = {};
    for (const type of ['site', 'skill-definition', 'team'])
      exports[type] = (await api.download(`/v1/objects/${type}/export`, org.adminToken)).bytes;
    expect(
      csvRows(exports['skill-definition'])
        .slice(1)
        .map((row) => row[1]),
    ).toEqual([
      "'=SUM(A1:A3)",
      "'-5 minutes of patience",
      "'@mention the lead",
      "''=already quoted",
      "it's fine",
    ]);
    expect(csvRows(exports['site'])[1]).toEqual(['Austin', `'=HYPERLINK("x")`, '']);
    expect(csvRows(exports['team'])[1]).toEqual([
      'Overflow',
      'Austin',
      'CAPACITY',
      '',
      '',
      "'+15125550100",
      '25',
      '',
      '',
    ]);

    for (const type of ['site', 'skill-definition', 'team']) {
      const job = await api.run(org.adminToken, type, {
        name: `${type}.csv`,
        content: exports[type],
      });
      expect({ type, counts: job.counts }).toEqual({
        type,
        counts: expect.objectContaining({ unchanged: job.counts.total, failed: 0, updated: 0 }),
      });
    }
    expect(await storedSkills()).toEqual(expected);
    expect(await storedRest()).toEqual([{ value: '=HYPERLINK("x")' }, { value: '+15125550100' }]);
  });

  it('keeps non-ASCII descriptions byte for byte through export and import', async () => {
    const org = await createOrganization(context.dataSource);
    const descriptions = [
      'Zürich — Außendienst, «Süd»',
      '東京オフィス ☎ 受付',
      'Agents 👩‍💼🎧 on call',
      'Cafe\u0301 (decomposed) vs Café',
      'Ελληνικά "quoted" text',
    ];
    const upload = csvText([
      ['Name', 'Description', 'Service Level Threshold', 'Type'],
      ...descriptions.map((d, i) => [`Skill${i}`, d, '10', 'BOOLEAN']),
    ]);
    expect(
      (await api.run(org.adminToken, 'skill-definition', { name: 'skills.csv', content: upload }))
        .counts.created,
    ).toBe(descriptions.length);

    const exported = (await api.download('/v1/objects/skill-definition/export', org.adminToken))
      .bytes;
    for (const description of descriptions) {
      expect(exported.includes(Buffer.from(description.replace(/"/g, '""'), 'utf8'))).toBe(true);
    }
    const job = await api.run(org.adminToken, 'skill-definition', {
      name: 'skill-definition.csv',
      content: exported,
    });
    expect(job.counts).toMatchObject({
      total: descriptions.length,
      unchanged: descriptions.length,
      failed: 0,
    });
    const stored = await q<{ description: string }>(
      `SELECT description FROM skill_definition WHERE organization_id = $1 ORDER BY key_norm`,
      [org.orgId],
    );
    expect(stored.map((r) => Buffer.from(r.description, 'utf8').toString('hex'))).toEqual(
      descriptions.map((d) => Buffer.from(d, 'utf8').toString('hex')),
    );
  });

  it("never shows one organization's records to another, in exports or pages", async () => {
    const a = await createOrganization(context.dataSource);
    const b = await createOrganization(context.dataSource);
    await api.run(a.adminToken, 'site', {
      name: 'a.csv',
      content: 'Name,Multimedia Profile\nAustin,MMP A\nDenver,MMP A\n',
    });
    await api.run(b.adminToken, 'site', {
      name: 'b.csv',
      content: 'Name,Multimedia Profile\nAustin,MMP B\nBerlin,MMP B\nBoston,MMP B\n',
    });
    await api.run(a.adminToken, 'team', {
      name: 'a.csv',
      content: 'Name,Site,Type\nSales,Austin,AGENT\n',
    });
    await api.run(b.adminToken, 'team', {
      name: 'b.csv',
      content: 'Name,Site,Type\nSupport,Austin,AGENT\n',
    });

    expect(
      csvRows((await api.download('/v1/objects/site/export', a.viewerToken)).bytes).slice(1),
    ).toEqual([
      ['Austin', 'MMP A', ''],
      ['Denver', 'MMP A', ''],
    ]);
    expect(
      csvRows((await api.download('/v1/objects/site/export', b.viewerToken)).bytes).slice(1),
    ).toEqual([
      ['Austin', 'MMP B', ''],
      ['Berlin', 'MMP B', ''],
      ['Boston', 'MMP B', ''],
    ]);
    expect(
      csvRows((await api.download('/v1/objects/team/export', a.viewerToken)).bytes)
        .slice(1)
        .map((r) => r.slice(0, 3)),
    ).toEqual([['Sales', 'Austin', 'AGENT']]);
    expect((await api.get('/v1/objects/team/records', b.viewerToken)).body).toEqual({
      items: [
        {
          Name: 'Support',
          Site: 'Austin',
          Type: 'AGENT',
          'Multimedia Profile': null,
          'Skill Profile': null,
          DN: null,
          Capacity: null,
          'Desktop Layout': null,
        },
      ],
      nextCursor: null,
    });
    const empty = await createOrganization(context.dataSource);
    expect(
      csvRows((await api.download('/v1/objects/site/export', empty.viewerToken)).bytes),
    ).toEqual([['Name', 'Multimedia Profile', 'Action']]);
    expect((await api.get('/v1/objects/site/records', empty.viewerToken)).body).toEqual({
      items: [],
      nextCursor: null,
    });
  });

  it('pages records in key order, each exactly once, holding what the export holds', async () => {
    const org = await createOrganization(context.dataSource);
    await importValidFixtures(
      api,
      org.adminToken,
      OBJECT_TYPES.filter((d) =>
        ['site', 'skill-definition', 'skill-profile', 'team'].includes(d.type),
      ),
    );
    await cloneRecords(context.dataSource, org.orgId, 'team', 120);
    const seen: RecordView[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Answer<Page<RecordView>> = await api.get(
        `/v1/objects/team/records?limit=7${cursor ? `&cursor=${cursor}` : ''}`,
        org.viewerToken,
      );
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(7);
      seen.push(...page.body.items);
      cursor = page.body.nextCursor;
      pages += 1;
    } while (cursor !== null);
    const rows = storedCells(
      csvRows((await api.download('/v1/objects/team/export', org.viewerToken)).bytes),
    );
    const [header, ...data] = rows;
    expect(seen).toHaveLength(124);
    expect(pages).toBe(Math.ceil(124 / 7));
    expect(seen).toEqual(
      data.map((row) =>
        Object.fromEntries(
          header.slice(0, -1).map((name, i) => [name, row[i] === '' ? null : row[i]]),
        ),
      ),
    );
    const keys = seen.map((item) => `${item['Site']}/${item['Name']}`.toLowerCase());
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('answers unknown types, bad paging and missing tokens with stable codes', async () => {
    const org = await createOrganization(context.dataSource);
    for (const path of ['/v1/objects/teams/export', '/v1/objects/teams/records']) {
      expect(await api.get(path, org.viewerToken)).toMatchObject({
        status: 404,
        body: { statusCode: 404, code: 'UNKNOWN_OBJECT_TYPE' },
      });
    }
    expect(await api.get('/v1/objects/site/export', null)).toMatchObject({
      status: 401,
      body: { code: 'UNAUTHORIZED' },
    });
    expect(await api.get('/v1/objects/site/records?limit=0', org.viewerToken)).toMatchObject({
      status: 400,
      body: { code: 'INVALID_REQUEST' },
    });
    expect(await api.get('/v1/objects/site/records?cursor=bm9wZQ', org.viewerToken)).toMatchObject({
      status: 400,
      body: { code: 'INVALID_REQUEST' },
    });
  });

  it('hands media types to their own export, a zip of the files and the manifest, and pages their records', async () => {
    const org = await createOrganization(context.dataSource);
    await importValidFixtures(api, org.adminToken, [getObject('audio-file')]);
    const stored = await q<{ name: string; description: string | null }>(
      `SELECT name, description FROM audio_file WHERE organization_id = $1 ORDER BY key_norm`,
      [org.orgId],
    );
    expect(stored.length).toBeGreaterThan(0);

    const exported = await api.download('/v1/objects/audio-file/export', org.viewerToken);
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toBe('application/zip');
    expect(exported.headers.get('content-disposition')).toBe(
      'attachment; filename="audio-file.zip"',
    );
    const names = (await readZip(exported.bytes)).map((entry) => entry.name);
    expect(names).toEqual(
      expect.arrayContaining(['audio-files.csv', ...stored.map((r) => r.name)]),
    );

    expect((await api.get('/v1/objects/audio-file/records', org.viewerToken)).body).toEqual({
      items: stored.map((r) => ({ Name: r.name, Description: r.description })),
      nextCursor: null,
    });
  });

  it('documents the export and records endpoints in the OpenAPI document', async () => {
    const doc = (await api.get('/docs-json', null)).body;
    expect(
      Object.keys(doc.paths['/v1/objects/{type}/export'].get.responses['200'].content),
    ).toEqual(['text/csv', 'application/zip']);
    expect(
      doc.paths['/v1/objects/{type}/records'].get.parameters.map((p: { name: string }) => p.name),
    ).toEqual(expect.arrayContaining(['type', 'limit', 'cursor']));
  });

  it('lets the CLI download exports and templates, writing the file where it says', async () => {
    const org = await createOrganization(context.dataSource);
    await api.run(org.adminToken, 'site', {
      name: 'sites.csv',
      content: 'Name,Multimedia Profile\nAustin,MMP\n',
    });
    const dir = await mkdtemp(join(tmpdir(), 'bulkops-cli-'));
    const cli = (...args: string[]) => runCli(dir, org.viewerToken, args);

    expect(await cli('export', 'site')).toEqual({
      code: 0,
      stdout: 'wrote site.csv\n',
      stderr: '',
    });
    expect(await readFile(join(dir, 'site.csv'))).toEqual(
      (await api.download('/v1/objects/site/export', org.viewerToken)).bytes,
    );
    const chosen = join(dir, 'chosen.csv');
    expect(await cli('export', 'site', '-o', chosen)).toEqual({
      code: 0,
      stdout: `wrote ${chosen}\n`,
      stderr: '',
    });
    expect(csvRows(await readFile(chosen))).toEqual([
      ['Name', 'Multimedia Profile', 'Action'],
      ['Austin', 'MMP', ''],
    ]);
    expect(await cli('template', 'team')).toEqual({
      code: 0,
      stdout: 'wrote team-template.csv\n',
      stderr: '',
    });
    expect(csvRows(await readFile(join(dir, 'team-template.csv')))).toEqual([
      OBJECT_TYPES.find((d) => d.type === 'team')!.header,
    ]);
    const unknown = await cli('export', 'teams');
    expect(unknown).toMatchObject({ code: 1, stdout: '' });
    expect(unknown.stderr).toContain('UNKNOWN_OBJECT_TYPE');
  });

  function runCli(
    cwd: string,
    token: string,
    args: string[],
  ): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [join(WORKSPACE, 'services', 'cli', 'dist', 'main.js'), ...args],
        {
          cwd,
          env: {
            BULKOPS_URL: stack.gatewayUrl,
            BULKOPS_TOKEN: token,
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (data: Buffer) => (stdout += data.toString('utf8')));
      child.stderr.on('data', (data: Buffer) => (stderr += data.toString('utf8')));
      child.once('error', reject);
      child.once('exit', (code) => resolve({ code, stdout, stderr }));
    });
  }
});
