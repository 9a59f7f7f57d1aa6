import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JobStatus, type JobView } from '@bulkops/contracts';
import { OBJECT_TYPES } from '@bulkops/objects';
import {
  buildWav,
  buildZip,
  bulkops,
  createOrganization,
  parseCsv,
  readZip,
  startServices,
  stopServices,
  type ApiDriver,
  type Stack,
  type TestContext,
  type TestOrganization,
} from '@bulkops/testing';

const EXAMPLE = join(__dirname, '..', '..', '..', 'examples', 'contact-center');

/**
 * A bundle whose site Denver (no Multimedia Profile) and user profile Supervisors (an unknown
 * Profile Type) are rejected, while a team uses the site and a user the profile.
 */
const BLOCKED_BUNDLE = [
  { name: 'site.csv', content: 'Name,Multimedia Profile\nAustin,MMP\nDenver,\n' },
  { name: 'team.csv', content: 'Name,Site,Type\nSales,Austin,AGENT\nDispatch,Denver,AGENT\n' },
  {
    name: 'user-profile.csv',
    content: 'Name,Profile Type\nAdministrators,ADMINISTRATOR\nSupervisors,BOGUS\n',
  },
  {
    name: 'user.csv',
    content:
      'Email,User Profile,Contact Center Enabled\nann@example.com,Administrators,FALSE\nbob@example.com,Supervisors,FALSE\n',
  },
];

const BLOCKED_BY_DENVER = "Site: Site 'Denver' was not created: site.csv row 3 was rejected";

/**
 * Bundles (spec/api.md "Bundles"): one job over several object types, applied in dependency order,
 * with per-type sections, blocked references that name the rejected row, an error zip that
 * uploads again as a bundle, file-level refusals that apply nothing, and a validate mode that
 * reports exactly what apply does.
 */
describe('bundle jobs', () => {
  let context: TestContext;
  let stack: Stack;
  let api: ApiDriver;
  let dir: string;

  beforeAll(async () => {
    ({ context, stack, api } = await startServices());
    dir = await mkdtemp(join(tmpdir(), 'bulkops-bundles-'));
  });

  afterAll(() => stopServices({ context, stack }));

  async function tableCounts(orgId: string): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const declaration of OBJECT_TYPES) {
      const [row] = await context.dataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM "${declaration.table}" WHERE organization_id = $1`,
        [orgId],
      );
      counts[declaration.type] = row.n;
    }
    return counts;
  }

  async function latestJob(org: TestOrganization): Promise<JobView> {
    const answer = await api.get<{ items: JobView[] }>('/v1/jobs?limit=1', org.adminToken);
    return answer.body.items[0];
  }

  async function bundleOf(entries: readonly { name: string; content: string | Buffer }[]) {
    return { name: 'bundle.zip', content: await buildZip(entries) };
  }

  async function errorZip(org: TestOrganization, jobId: string) {
    const answer = await api.download(`/v1/jobs/${jobId}/errors`, org.adminToken);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/zip');
    return readZip(answer.bytes);
  }

  const csvOf = (content: Buffer) => parseCsv(content.toString('utf8').replace(/^\uFEFF/, ''));

  it('imports the example contact center as one job, leaving every table as per-type jobs do', async () => {
    const perType = await createOrganization(context.dataSource);
    const bundled = await createOrganization(context.dataSource);
    await bulkops(stack.gatewayUrl, perType.adminToken, ['import-dir', '--per-type', EXAMPLE], dir);
    const { stdout } = await bulkops(
      stack.gatewayUrl,
      bundled.adminToken,
      ['import-dir', EXAMPLE],
      dir,
    );
    expect(stdout).toMatch(/bundle of \d+ files +bundle +Completed /);

    const job = await latestJob(bundled);
    expect(job).toMatchObject({ object: 'bundle', status: JobStatus.Completed, applying: null });
    const tables = await tableCounts(bundled.orgId);
    expect(job.sections!.map((s) => s.object)).toEqual(OBJECT_TYPES.map((d) => d.type));
    for (const section of job.sections!) {
      expect(section.counts).toMatchObject({
        total: tables[section.object],
        processed: tables[section.object],
        created: tables[section.object],
        failed: 0,
      });
    }
    expect(job.counts.created).toBe(Object.values(tables).reduce((a, b) => a + b, 0));
    expect(tables).toEqual(await tableCounts(perType.orgId));
    expect(Object.values(tables).every((n) => n > 0)).toBe(true);
    // The export is a function of the configuration alone: equal bytes, equal records.
    const perTypeExport = await api.download('/v1/export', perType.adminToken);
    const bundledExport = await api.download('/v1/export', bundled.adminToken);
    expect(bundledExport.bytes.equals(perTypeExport.bytes)).toBe(true);
  }, 240_000);

  it('says which rejected row blocked a reference, and its error zip completes the rest once fixed', async () => {
    const org = await createOrganization(context.dataSource);
    const job = await api.run(org.adminToken, 'bundle', await bundleOf(BLOCKED_BUNDLE));
    expect(job.status).toBe(JobStatus.CompletedWithErrors);
    const counts = Object.fromEntries(job.sections!.map((s) => [s.object, s.counts]));
    expect(counts).toMatchObject({
      site: { created: 1, failed: 1 },
      team: { created: 1, failed: 1 },
      'user-profile': { created: 1, failed: 1 },
      user: { created: 1, failed: 1 },
    });
    expect(job.sections!.map((s) => s.files.map((f) => f.name))).toEqual([
      ['site.csv'],
      ['team.csv'],
      ['user-profile.csv'],
      ['user.csv'],
    ]);

    const entries = await errorZip(org, job.id);
    expect(entries.map((e) => e.name)).toEqual([
      'site-errors.csv',
      'team-errors.csv',
      'user-profile-errors.csv',
      'user-errors.csv',
    ]);
    const [site, team, , user] = entries.map((e) => csvOf(e.content));
    expect(site[1].slice(0, 4)).toEqual(['Denver', '', 'site.csv', '3']);
    expect(team[1].slice(0, 5)).toEqual(['Dispatch', 'Denver', 'AGENT', 'team.csv', '3']);
    expect(team[1].at(-1)).toContain(BLOCKED_BY_DENVER);
    expect(user[1][0]).toBe('bob@example.com');
    expect(user[1].at(-1)).toContain(
      "User Profile: User profile 'Supervisors' was not created: user-profile.csv row 3 was rejected",
    );

    const fixes: Record<string, [string, string]> = {
      'site-errors.csv': ['Denver,,', 'Denver,MMP,'],
      'user-profile-errors.csv': ['Supervisors,BOGUS,', 'Supervisors,ADMINISTRATOR,'],
    };
    const fixed = entries.map((e) => {
      const fix = fixes[e.name];
      if (!fix) return e;
      const text = e.content.toString('utf8');
      expect(text).toContain(fix[0]);
      return { ...e, content: Buffer.from(text.replace(fix[0], fix[1])) };
    });
    const again = await api.run(org.adminToken, 'bundle', await bundleOf(fixed));
    expect(again).toMatchObject({
      status: JobStatus.Completed,
      counts: { created: 4, failed: 0 },
    });
    expect(await tableCounts(org.orgId)).toMatchObject({
      site: 2,
      team: 2,
      'user-profile': 2,
      user: 2,
    });

    // Deletes run after every create, in reverse order: the team goes before the site it uses.
    const teardown = await api.run(
      org.adminToken,
      'bundle',
      await bundleOf([
        { name: 'site.csv', content: 'Name,Action\nDenver,DELETE\n' },
        { name: 'team.csv', content: 'Name,Site,Action\nDispatch,Denver,DELETE\n' },
      ]),
    );
    expect(teardown).toMatchObject({
      status: JobStatus.Completed,
      counts: { deleted: 2, failed: 0 },
    });
    expect(await tableCounts(org.orgId)).toMatchObject({ site: 1, team: 1 });
  }, 120_000);

  it('blocks references to a row the worker rejected, in validate mode as in apply', async () => {
    const org = await createOrganization(context.dataSource);
    const bundle = await bundleOf([
      { name: 'site.csv', content: 'Name,Multimedia Profile\nAustin,MMP\n' },
      {
        name: 'skill-definition.csv',
        content: 'Name,Service Level Threshold,Type\nEnglish,30,PROFICIENCY\n',
      },
      // Klingon is no skill: the worker, not ingest, rejects Gold.
      { name: 'skill-profile.csv', content: 'Name,Skills\nSilver,English:5\nGold,Klingon:5\n' },
      {
        name: 'team.csv',
        content: 'Name,Site,Type,Skill Profile\nSales,Austin,AGENT,Silver\nVIP,Austin,AGENT,Gold\n',
      },
    ]);
    const blocked =
      "Skill Profile: Skill profile 'Gold' was not created: skill-profile.csv row 3 was rejected; fix that row and upload both again";
    for (const mode of ['validate', 'apply']) {
      const job = await api.run(org.adminToken, 'bundle', bundle, { mode });
      expect([job.status, job.failure]).toEqual([JobStatus.CompletedWithErrors, null]);
      const counts = Object.fromEntries(job.sections!.map((s) => [s.object, s.counts]));
      expect(counts).toMatchObject({
        'skill-profile': { created: 1, failed: 1 },
        team: { created: 1, failed: 1 },
      });
      const team = csvOf(
        (await errorZip(org, job.id)).find((e) => e.name === 'team-errors.csv')!.content,
      );
      expect(team.slice(1).map((row) => [row[0], row.at(-1)])).toEqual([['VIP', blocked]]);
    }
  }, 120_000);

  it('puts rejected audio in the error zip as audio-file/ with its manifest', async () => {
    const org = await createOrganization(context.dataSource);
    const job = await api.run(
      org.adminToken,
      'bundle',
      await bundleOf([
        { name: 'site.csv', content: 'Name,Multimedia Profile\nAustin,MMP\n' },
        { name: 'audio-file/welcome.wav', content: buildWav() },
        { name: 'audio-file/broken.wav', content: Buffer.from('not a wav file at all') },
      ]),
    );
    expect(job.status).toBe(JobStatus.CompletedWithErrors);
    expect(
      job.sections!.map((s) => [s.object, s.files, s.counts.created, s.counts.failed]),
    ).toEqual([
      ['site', [{ name: 'site.csv', rows: 1 }], 1, 0],
      ['audio-file', [{ name: 'audio-file/', rows: 2 }], 1, 1],
    ]);
    const entries = await errorZip(org, job.id);
    expect(entries.map((e) => e.name)).toEqual([
      'audio-file/audio-files.csv',
      'audio-file/broken.wav',
    ]);
    expect(entries[1].content.toString()).toBe('not a wav file at all');
    const manifest = csvOf(entries[0].content);
    expect(manifest[0]).toEqual([
      'Name',
      'Description',
      'Action',
      'Source File',
      'Source Row',
      'Error Message',
    ]);
    expect(manifest.slice(1).map((row) => row[0])).toEqual(['broken.wav']);
  }, 60_000);

  it('reports in validate mode exactly the errors apply reports, changing nothing', async () => {
    const org = await createOrganization(context.dataSource);
    const bundle = await bundleOf(BLOCKED_BUNDLE);
    const validated = await api.run(org.adminToken, 'bundle', bundle, { mode: 'validate' });
    expect(validated.status).toBe(JobStatus.CompletedWithErrors);
    expect(Object.values(await tableCounts(org.orgId)).every((n) => n === 0)).toBe(true);
    const validateErrors = await errorZip(org, validated.id);

    const applied = await api.run(org.adminToken, 'bundle', bundle);
    const applyErrors = await errorZip(org, applied.id);
    expect(validateErrors.map((e) => [e.name, csvOf(e.content)])).toEqual(
      applyErrors.map((e) => [e.name, csvOf(e.content)]),
    );
    expect(validated.counts).toEqual(applied.counts);
    // Ann's profile and team Sales's site exist only in the bundle, yet validate did not call them missing.
    expect(validated.errorSummary.map((s) => s.message).join('\n')).not.toContain('named');
    expect(validated.sections!.map((s) => [s.object, s.counts.created])).toEqual([
      ['site', 1],
      ['team', 1],
      ['user-profile', 1],
      ['user', 1],
    ]);
  }, 120_000);

  it.each([
    ['a folder other than audio-file/', 'notes/readme.txt'],
    ['a file named after no type', 'sites.csv'],
  ])(
    'fails with nothing applied when the zip holds %s',
    async (_what, entry) => {
      const org = await createOrganization(context.dataSource);
      const job = await api.run(
        org.adminToken,
        'bundle',
        await bundleOf([...BLOCKED_BUNDLE, { name: entry, content: 'Name\nx\n' }]),
      );
      expect(job.status).toBe(JobStatus.Failed);
      expect(job.failure).toMatchObject({ code: 'UNEXPECTED_ZIP_ENTRY', file: entry });
      expect(job.failure!.message).toContain(entry);
      expect(Object.values(await tableCounts(org.orgId)).every((n) => n === 0)).toBe(true);
    },
    60_000,
  );
});
