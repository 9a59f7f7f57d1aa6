import IORedis from 'ioredis';
import type { JobView } from '@bulkops/contracts';
import {
  buildWav,
  buildZip,
  bulkops,
  createJob,
  parseCsv,
  readZip,
  createOrganization,
  startServices,
  stopServices,
  type ApiDriver,
  type Stack,
  type TestContext,
  type TestOrganization,
} from '@bulkops/testing';

const TEAM_HEADER =
  'Name,Site,Type,Multimedia Profile,Skill Profile,DN,Capacity,Desktop Layout,Action';

/** Sites, a skill and two skill profiles every organization of this file starts with. */
const SETUP: [string, string, string][] = [
  ['site', 'sites.csv', 'Name,Multimedia Profile\r\nAustin,MMP Default\r\nDenver,MMP Default\r\n'],
  [
    'skill-definition',
    'skills.csv',
    'Name,Description,Service Level Threshold,Type,Enum Values\r\nEnglish,,30,PROFICIENCY,\r\n',
  ],
  [
    'skill-profile',
    'profiles.csv',
    'Name,Description,Skills\r\nGold,,English:8\r\nSilver,,English:5\r\n',
  ],
];

const csv = (lines: string[]) => `${lines.join('\r\n')}\r\n`;

/**
 * Undo (spec/api.md `POST /v1/jobs/{id}/undo`) through the built services: an undo job restores the
 * state before the organization's latest finished apply job from that job's change records, leaves
 * objects changed since alone (listed in its error file), and can itself be undone.
 */
describe('undoing a job', () => {
  let context: TestContext;
  let stack: Stack;
  let api: ApiDriver;

  beforeAll(async () => {
    ({ context, stack, api } = await startServices({
      // A job recorded by hand stays NEW for as long as a test needs it: status sends nothing of it
      // to ingest again (nothing here needs recovering).
      env: { STATUS_RECOVER_AFTER_MS: '3600000' },
    }));
  });

  afterAll(() => stopServices({ context, stack }));

  async function organization(): Promise<TestOrganization> {
    const org = await createOrganization(context.dataSource);
    for (const [object, name, content] of SETUP) {
      expect((await api.run(org.adminToken, object, { name, content })).status).toBe('COMPLETED');
    }
    return org;
  }

  const teams = (org: TestOrganization, lines: string[], name = 'teams.csv') =>
    api.run(org.adminToken, 'team', { name, content: csv([TEAM_HEADER, ...lines]) });

  const undo = (id: string, token: string) =>
    api.request<JobView & { code?: string; message?: string }>(
      'POST',
      `/v1/jobs/${id}/undo`,
      token,
    );

  /** Asks for the undo and waits for the undo job to finish. */
  async function undone(org: TestOrganization, id: string, object = 'team'): Promise<JobView> {
    const answer = await undo(id, org.adminToken);
    expect(answer.status).toBe(202);
    expect(answer.headers.get('location')).toBe(`/v1/jobs/${answer.body.id}`);
    expect(answer.body).toMatchObject({ mode: 'undo', undoOf: id, object, status: 'NEW' });
    return api.finished(org.adminToken, answer.body.id);
  }

  const teamExport = async (org: TestOrganization) =>
    (await api.get('/v1/objects/team/export', org.adminToken)).text;

  it('deletes what a job created, and an undo of the undo brings it back', async () => {
    const org = await organization();
    const before = await teamExport(org);
    const created = await teams(org, [
      'North,Austin,AGENT,MMP A,Gold,,,',
      'South,Denver,AGENT,,Silver,,,Wide',
    ]);
    expect(created.counts.created).toBe(2);
    const after = await teamExport(org);

    const job = await undone(org, created.id);
    expect(job.status).toBe('COMPLETED');
    expect(job.counts).toMatchObject({ total: 2, deleted: 2, failed: 0 });
    expect(await teamExport(org)).toBe(before);

    const again = await undone(org, job.id);
    expect(again.status).toBe('COMPLETED');
    expect(again.counts).toMatchObject({ total: 2, created: 2, failed: 0 });
    expect(await teamExport(org)).toBe(after);
  });

  it('finishes an undo of a job that changed nothing at once, with nothing to do', async () => {
    const org = await organization();
    const rows = ['North,Austin,AGENT,MMP A,Gold,,,'];
    await teams(org, rows);
    const before = await teamExport(org);
    const same = await teams(org, rows);
    expect(same.counts).toMatchObject({ unchanged: 1, created: 0, updated: 0 });
    const job = await undone(org, same.id);
    expect(job.status).toBe('COMPLETED');
    expect(job.counts).toMatchObject({ total: 0, processed: 0, failed: 0 });
    expect(await teamExport(org)).toBe(before);
  });

  it('gives updated objects exactly their old values back', async () => {
    const org = await organization();
    await teams(org, [
      'North,Austin,AGENT,MMP A,Gold,,,',
      'Flow,Austin,CAPACITY,,,+15125550100,25,',
    ]);
    const before = await teamExport(org);
    const updated = await teams(org, [
      'North,Austin,AGENT,,Silver,,,Wide',
      'Flow,Austin,CAPACITY,,,+15125550199,30,',
    ]);
    expect(updated.counts.updated).toBe(2);
    expect(await teamExport(org)).not.toBe(before);

    const job = await undone(org, updated.id);
    expect(job.counts).toMatchObject({ total: 2, updated: 2, failed: 0 });
    expect(await teamExport(org)).toBe(before);
  });

  it("puts back what the type's rules changed besides the rows: the default flag a new code took", async () => {
    const org = await createOrganization(context.dataSource);
    const run = async (object: string, lines: string[]) =>
      api.run(org.adminToken, object, { name: `${object}.csv`, content: csv(lines) });
    expect((await run('work-type', ['Name,Type', 'Breaks,IDLE_CODE'])).status).toBe('COMPLETED');
    const header = 'Name,Description,Default,Work Type';
    expect((await run('auxiliary-code', [header, 'Lunch,,TRUE,Breaks'])).status).toBe('COMPLETED');
    const codes = async () =>
      (await api.get(`/v1/objects/auxiliary-code/export`, org.adminToken)).text;
    const before = await codes();
    const moved = await run('auxiliary-code', [header, 'Coffee,,TRUE,Breaks']);
    expect(moved.counts.created).toBe(1);
    expect(await codes()).toContain('Lunch,,FALSE,Breaks');

    // Coffee goes, and Lunch is the default again: nothing is left alone as changed since.
    const job = await undone(org, moved.id, 'auxiliary-code');
    expect(job.status).toBe('COMPLETED');
    expect(job.counts).toMatchObject({ deleted: 1, updated: 1, failed: 0 });
    expect(await codes()).toBe(before);
  });

  it('creates deleted objects again with their old values and references', async () => {
    const org = await organization();
    await teams(org, ['North,Austin,AGENT,MMP A,Gold,,,Wide', 'South,Denver,AGENT,,,,,']);
    const before = await teamExport(org);
    const deleted = await teams(org, ['North,Austin,,,,,,,DELETE']);
    expect(deleted.counts.deleted).toBe(1);

    const job = await undone(org, deleted.id);
    expect(job.counts).toMatchObject({ total: 1, created: 1, failed: 0 });
    expect(await teamExport(org)).toBe(before);
    const [north] = await context.dataSource.query<{ site: string; profile: string }[]>(
      `SELECT s.name AS site, p.name AS profile FROM team t
         JOIN site s ON s.id = t.site_id JOIN skill_profile p ON p.id = t.skill_profile_id
        WHERE t.organization_id = $1 AND t.name = 'North'`,
      [org.orgId],
    );
    expect(north).toEqual({ site: 'Austin', profile: 'Gold' });
  });

  it('leaves objects another writer changed since alone and lists them in its error file', async () => {
    const org = await organization();
    const created = await teams(org, [
      'North,Austin,AGENT,MMP A,Gold,,,',
      'South,Austin,AGENT,MMP A,Gold,,,',
    ]);
    // Another writer edits the table directly; a later job would make the original not the latest.
    await context.dataSource.query(
      `UPDATE team SET multimedia_profile = 'MMP Z' WHERE organization_id = $1 AND name = 'South'`,
      [org.orgId],
    );
    const job = await undone(org, created.id);
    expect(job.status).toBe('COMPLETED_WITH_ERRORS');
    expect(job.counts).toMatchObject({ total: 2, deleted: 1, failed: 1 });
    const left = await context.dataSource.query<{ name: string; multimedia_profile: string }[]>(
      `SELECT name, multimedia_profile FROM team WHERE organization_id = $1`,
      [org.orgId],
    );
    expect(left).toEqual([{ name: 'South', multimedia_profile: 'MMP Z' }]);
    expect(await api.errorRows(org.adminToken, job.id)).toEqual([
      [...TEAM_HEADER.split(','), 'Source File', 'Source Row', 'Error Message'],
      [
        'South',
        'Austin',
        'AGENT',
        'MMP A',
        'Gold',
        '',
        '',
        '',
        'DELETE',
        'teams.csv',
        '3',
        `left alone: Team 'Austin/South' was changed after job ${created.id}: Multimedia Profile is now 'MMP Z', the job set 'MMP A'`,
      ],
    ]);
  });

  it('reports an object the job created that is now referenced as IN_USE, like a delete', async () => {
    const org = await organization();
    await teams(org, ['North,Austin,AGENT,,Gold,,,']);
    const created = await api.run(org.adminToken, 'skill-profile', {
      name: 'profiles.csv',
      content: csv(['Name,Description,Skills', 'Platinum,,English:10', 'Bronze,,English:2']),
    });
    await context.dataSource.query(
      `UPDATE team SET skill_profile_id = (SELECT id FROM skill_profile WHERE organization_id = $1 AND name = 'Platinum')
        WHERE organization_id = $1 AND name = 'North'`,
      [org.orgId],
    );
    const job = await undone(org, created.id, 'skill-profile');
    expect(job.status).toBe('COMPLETED_WITH_ERRORS');
    expect(job.counts).toMatchObject({ total: 2, deleted: 1, failed: 1 });
    const [, row] = await api.errorRows(org.adminToken, job.id);
    expect(row.slice(0, 4)).toEqual(['Platinum', '', 'English:10', 'DELETE']);
    expect(row.at(-1)).toBe(
      "Skill Profile 'Platinum' is used by team 'Austin/North'; remove those references first",
    );
  });

  it('answers UNDO_NOT_LATEST for an older job, skipping validate and failed jobs when it finds the latest', async () => {
    const org = await organization();
    const first = await teams(org, ['North,Austin,AGENT,,,,,']);
    const second = await teams(org, ['South,Austin,AGENT,,,,,']);
    const validate = await api.run(
      org.adminToken,
      'team',
      { name: 'more.csv', content: csv([TEAM_HEADER, 'East,Austin,AGENT,,,,,']) },
      { mode: 'validate' },
    );
    const failed = await api.run(org.adminToken, 'team', { name: 'bad.csv', content: 'Nope\r\n' });
    expect(failed.status).toBe('FAILED');

    const refused = await undo(first.id, org.adminToken);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'UNDO_NOT_LATEST', latestJobId: second.id });
    expect((await undo(validate.id, org.adminToken)).body.code).toBe('JOB_NOT_UNDOABLE');
    expect((await undo(failed.id, org.adminToken)).body.code).toBe('JOB_NOT_UNDOABLE');

    const job = await undone(org, second.id);
    expect(job.counts.deleted).toBe(1);
    // The undo is now the latest job: the one it took back is not, and the undo itself is.
    expect((await undo(second.id, org.adminToken)).body.code).toBe('UNDO_NOT_LATEST');
    expect((await undo(first.id, org.adminToken)).body.code).toBe('UNDO_NOT_LATEST');
  });

  it('refuses viewers (403), other organizations and unknown ids (404), and busy organizations (409)', async () => {
    const org = await organization();
    const other = await createOrganization(context.dataSource);
    const created = await teams(org, ['North,Austin,AGENT,,,,,']);

    expect((await undo(created.id, org.viewerToken)).status).toBe(403);
    const foreign = await undo(created.id, other.adminToken);
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe('NOT_FOUND');
    expect((await undo('00000000-0000-4000-8000-000000000000', org.adminToken)).status).toBe(404);
    expect((await undo('not-a-uuid', org.adminToken)).status).toBe(404);

    // The lock a finished job's status has not released yet is stale: it refuses nothing.
    const lockKey = `${context.queuePrefix}:lock:org:${org.orgId}`;
    const redis = new IORedis(context.env['REDIS_URL']);
    let active: { id: string };
    let latest: JobView;
    try {
      await redis.set(lockKey, created.id, 'PX', 60_000);
      const unrefused = await undo(created.id, org.adminToken);
      expect(unrefused.status).toBe(202);
      await api.finished(org.adminToken, unrefused.body.id);
      latest = await teams(org, ['North,Austin,AGENT,,,,,']);

      // A job the organization is running, holding the lock as the gateway leaves it.
      active = await createJob(context.dataSource, org.orgId, { object: 'team' });
      await redis.set(lockKey, active.id, 'PX', 60_000);
      const locked = await undo(latest.id, org.adminToken);
      expect(locked.status).toBe(409);
      expect(locked.body).toMatchObject({ code: 'JOB_ALREADY_ACTIVE', activeJobId: active.id });
      // Without the lock (Redis lost it), Postgres' one-active-job index refuses the same way.
      await redis.del(lockKey);
    } finally {
      redis.disconnect();
    }
    const busy = await undo(latest.id, org.adminToken);
    expect(busy.status).toBe(409);
    expect(busy.body).toMatchObject({ code: 'JOB_ALREADY_ACTIVE', activeJobId: active.id });
    const running = await undo(active.id, org.adminToken);
    expect(running.status).toBe(409);
    expect(running.body.code).toBe('JOB_NOT_FINISHED');
    const [{ count }] = await context.dataSource.query<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM job WHERE organization_id = $1 AND mode = 'undo'`,
      [org.orgId],
    );
    expect(count).toBe(1);
  });

  it('undoes a bundle: removals of created objects in reverse dependency order, restores in dependency order', async () => {
    const org = await organization();
    await teams(org, ['Old,Austin,AGENT,MMP A,Gold,,,']);
    const sitesBefore = (await api.get('/v1/objects/site/export', org.adminToken)).text;
    const teamsBefore = await teamExport(org);
    const bundle = await api.run(org.adminToken, 'bundle', {
      name: 'bundle.zip',
      content: await buildZip([
        { name: 'site.csv', content: 'Name,Multimedia Profile\nBoston,MMP B\nAustin,MMP New\n' },
        {
          name: 'team.csv',
          content: `${TEAM_HEADER}\nNorth,Boston,AGENT,,Gold,,,,\nOld,Austin,,,,,,,DELETE\n`,
        },
      ]),
    });
    expect(bundle.status).toBe('COMPLETED');
    expect(bundle.counts).toMatchObject({ created: 2, updated: 1, deleted: 1 });

    const answer = await undo(bundle.id, org.adminToken);
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ mode: 'undo', undoOf: bundle.id, object: 'bundle' });
    const job = await api.finished(org.adminToken, answer.body.id);
    expect(job.status).toBe('COMPLETED');
    expect(job.counts).toMatchObject({ total: 4, created: 1, updated: 1, deleted: 2, failed: 0 });
    expect((await api.get('/v1/objects/site/export', org.adminToken)).text).toBe(sitesBefore);
    expect(await teamExport(org)).toBe(teamsBefore);
  });

  it("lists what a bundle's undo left alone in an error zip per type, and takes back the rest", async () => {
    const org = await organization();
    const bundle = await api.run(org.adminToken, 'bundle', {
      name: 'bundle.zip',
      content: await buildZip([
        { name: 'site.csv', content: 'Name,Multimedia Profile\nBoston,MMP B\n' },
        { name: 'team.csv', content: `${TEAM_HEADER}\nNorth,Boston,AGENT,,Gold,,,,\n` },
      ]),
    });
    expect(bundle.counts.created).toBe(2);
    await context.dataSource.query(
      `UPDATE site SET multimedia_profile = 'MMP Z' WHERE organization_id = $1 AND name = 'Boston'`,
      [org.orgId],
    );
    const answer = await undo(bundle.id, org.adminToken);
    expect(answer.status).toBe(202);
    const job = await api.finished(org.adminToken, answer.body.id);
    expect(job.status).toBe('COMPLETED_WITH_ERRORS');
    expect(job.counts).toMatchObject({ total: 2, deleted: 1, failed: 1 });
    expect(
      await context.dataSource.query(`SELECT name FROM team WHERE organization_id = $1`, [
        org.orgId,
      ]),
    ).toEqual([]);

    const errors = await api.download(`/v1/jobs/${job.id}/errors`, org.adminToken);
    expect(errors.headers.get('content-type')).toBe('application/zip');
    const entries = await readZip(errors.bytes);
    expect(entries.map((e) => e.name)).toEqual(['site-errors.csv']);
    expect(parseCsv(entries[0].content.toString('utf8').replace(/^\uFEFF/, ''))).toEqual([
      ['Name', 'Multimedia Profile', 'Action', 'Source File', 'Source Row', 'Error Message'],
      [
        'Boston',
        'MMP B',
        'DELETE',
        'site.csv',
        '2',
        `left alone: Site 'Boston' was changed after job ${bundle.id}: Multimedia Profile is now 'MMP Z', the job set 'MMP B'`,
      ],
    ]);
  });

  it('takes back created audio files, and refuses jobs that replaced or deleted some', async () => {
    const org = await createOrganization(context.dataSource);
    const prompts = await api.run(org.adminToken, 'audio-file', {
      name: 'prompts.zip',
      content: await buildZip([
        { name: 'welcome.wav', content: buildWav({ seed: 1 }) },
        { name: 'goodbye.wav', content: buildWav({ seed: 2 }) },
      ]),
    });
    expect(prompts.counts.created).toBe(2);
    const replaced = await api.run(org.adminToken, 'audio-file', {
      name: 'again.zip',
      content: await buildZip([{ name: 'welcome.wav', content: buildWav({ seed: 3 }) }]),
    });
    expect(replaced.counts.updated).toBe(1);
    const refused = await undo(replaced.id, org.adminToken);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('JOB_NOT_UNDOABLE');

    const added = await api.run(org.adminToken, 'audio-file', {
      name: 'more.zip',
      content: await buildZip([{ name: 'hold.wav', content: buildWav({ seed: 4 }) }]),
    });
    const job = await undone(org, added.id, 'audio-file');
    expect(job.status).toBe('COMPLETED');
    const names = await context.dataSource.query<{ name: string }[]>(
      `SELECT name FROM audio_file WHERE organization_id = $1 ORDER BY name`,
      [org.orgId],
    );
    expect(names.map((n) => n.name)).toEqual(['goodbye.wav', 'welcome.wav']);
  });

  it('undoes from the command line', async () => {
    const org = await organization();
    const created = await teams(org, ['North,Austin,AGENT,,,,,']);
    const { stdout } = await bulkops(stack.gatewayUrl, org.adminToken, [
      'undo',
      created.id,
      '--wait',
    ]);
    expect(stdout).toMatch(/ team Completed: 1\/1 rows, 0 created, 0 updated, 1 deleted/);
    await expect(
      bulkops(stack.gatewayUrl, org.adminToken, ['undo', created.id]),
    ).rejects.toMatchObject({ stderr: expect.stringMatching(/UNDO_NOT_LATEST/) });
  });
});
