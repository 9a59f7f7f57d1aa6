import type { ChangeView, JobView, Page } from '@bulkops/contracts';
import {
  bulkops,
  createJob,
  createOrganization,
  parseCsv,
  startServices,
  stopServices,
  type ApiDriver,
  type Stack,
  type TestContext,
  type TestOrganization,
} from '@bulkops/testing';

const HEADER = 'Email,First Name,User Profile,Site,Teams,Agent Profile,Action';
const ADA = 'ada@example.com,Ada,Agents,Austin,Sales,Austin Agents,';
const BOB = 'bob@example.com,Bob,Agents,Austin,,Austin Agents,';
const DAN = 'dan@example.com,Dan,Agents,Austin,Support,Austin Agents,';
const csv = (...lines: string[]) => `${[HEADER, ...lines].join('\r\n')}\r\n`;

/** The edit every test previews: Ada changes, Bob stays, Carl is new, Dan goes. */
const EDIT = csv(
  'ada@example.com,Augusta,Supervisors,Austin,Support|Sales,Austin Agents,',
  BOB,
  'carl@example.com,Carl,Agents,Austin,Sales,Austin Agents,',
  'dan@example.com,,,,,,DELETE',
);

/** The changes CSV of EDIT: one line per changed column of an update, one per create or delete. */
const EDIT_CHANGES = [
  ['Object', 'Key', 'Action', 'Column', 'Old Value', 'New Value', 'Source File', 'Source Row'],
  ['user', 'ada@example.com', 'UPDATE', 'First Name', 'Ada', 'Augusta', 'users.csv', '2'],
  ['user', 'ada@example.com', 'UPDATE', 'User Profile', 'Agents', 'Supervisors', 'users.csv', '2'],
  ['user', 'ada@example.com', 'UPDATE', 'Teams', 'Sales', 'Sales|Support', 'users.csv', '2'],
  [
    'user',
    'carl@example.com',
    'CREATE',
    '',
    '',
    'Email=carl@example.com; First Name=Carl; User Profile=Agents; Contact Center Enabled=TRUE; Site=Austin; Teams=Sales; Agent Profile=Austin Agents',
    'users.csv',
    '4',
  ],
  [
    'user',
    'dan@example.com',
    'DELETE',
    '',
    'Email=dan@example.com; First Name=Dan; User Profile=Agents; Contact Center Enabled=TRUE; Site=Austin; Teams=Support; Agent Profile=Austin Agents',
    '',
    'users.csv',
    '5',
  ],
];

/**
 * Change records, the change preview and apply-after-preview (spec/api.md `GET /v1/jobs/{id}/changes`,
 * `POST /v1/jobs/{id}/apply`) through the built services.
 */
describe('change preview and apply after preview', () => {
  let context: TestContext;
  let stack: Stack;
  let api: ApiDriver;
  let org: TestOrganization;
  let other: TestOrganization;

  beforeAll(async () => {
    ({ context, stack, api } = await startServices());
    org = await createOrganization(context.dataSource);
    other = await createOrganization(context.dataSource);
    const setup: [string, string][] = [
      ['site', 'Name,Multimedia Profile\r\nAustin,MMP Default\r\n'],
      ['user-profile', 'Name,Profile Type\r\nAgents,STANDARD_AGENT\r\nSupervisors,SUPERVISOR\r\n'],
      ['team', 'Name,Site,Type\r\nSales,Austin,AGENT\r\nSupport,Austin,AGENT\r\n'],
      ['agent-profile', 'Name,Parent Site\r\nAustin Agents,Austin\r\n'],
    ];
    for (const [object, content] of setup) {
      const job = await api.run(org.adminToken, object, { name: `${object}.csv`, content });
      expect(job.status).toBe('COMPLETED');
    }
  });

  afterAll(() => stopServices({ context, stack }));

  /** Resets the users to Ada, Bob and Dan as they started. */
  async function startingUsers(): Promise<void> {
    await context.dataSource.query(`DELETE FROM "user" WHERE organization_id = $1`, [org.orgId]);
    const job = await api.run(org.adminToken, 'user', {
      name: 'start.csv',
      content: csv(ADA, BOB, DAN),
    });
    expect(job.status).toBe('COMPLETED');
  }

  async function changesCsv(jobId: string, token = org.adminToken): Promise<string[][]> {
    const answer = await api.get(`/v1/jobs/${jobId}/changes`, token);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/csv/);
    return parseCsv(answer.text.replace(/^\uFEFF/, ''));
  }

  const changesPage = (jobId: string, query: string, token = org.adminToken) =>
    api.request<Page<ChangeView>>('GET', `/v1/jobs/${jobId}/changes?${query}`, token, undefined, {
      accept: 'application/json',
    });

  const apply = (jobId: string, token = org.adminToken) =>
    api.request<JobView & { message?: string }>('POST', `/v1/jobs/${jobId}/apply`, token);

  async function firstNames(): Promise<Record<string, string | null>> {
    const rows: { email: string; first_name: string | null }[] = await context.dataSource.query(
      `SELECT email, first_name FROM "user" WHERE organization_id = $1 ORDER BY key_norm`,
      [org.orgId],
    );
    return Object.fromEntries(rows.map((r) => [r.email, r.first_name]));
  }

  async function preview(): Promise<JobView> {
    const job = await api.run(
      org.adminToken,
      'user',
      { name: 'users.csv', content: EDIT },
      {
        mode: 'validate',
      },
    );
    expect(job).toMatchObject({ mode: 'validate', status: 'COMPLETED' });
    return job;
  }

  it('previews what a validate job would change, exactly, as CSV and as JSON pages, and changes nothing', async () => {
    await startingUsers();
    const job = await preview();
    expect(await changesCsv(job.id)).toEqual(EDIT_CHANGES);
    expect(await firstNames()).toEqual({
      'ada@example.com': 'Ada',
      'bob@example.com': 'Bob',
      'dan@example.com': 'Dan',
    });

    const first = await changesPage(job.id, 'limit=2');
    expect(first.status).toBe(200);
    expect(first.body.items).toEqual([
      {
        object: 'user',
        key: 'ada@example.com',
        action: 'UPDATE',
        columns: [
          { column: 'First Name', oldValue: 'Ada', newValue: 'Augusta' },
          { column: 'User Profile', oldValue: 'Agents', newValue: 'Supervisors' },
          { column: 'Teams', oldValue: 'Sales', newValue: 'Sales|Support' },
        ],
        sourceFile: 'users.csv',
        sourceRow: 2,
      },
      expect.objectContaining({ key: 'carl@example.com', action: 'CREATE', sourceRow: 4 }),
    ]);
    expect(first.body.items[1].columns).toContainEqual({
      column: 'Teams',
      oldValue: null,
      newValue: 'Sales',
    });
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await changesPage(job.id, `limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body).toEqual({
      items: [expect.objectContaining({ key: 'dan@example.com', action: 'DELETE', sourceRow: 5 })],
      nextCursor: null,
    });
    expect((await changesPage(job.id, 'cursor=nonsense')).body).toMatchObject({
      statusCode: 400,
      code: 'INVALID_REQUEST',
    });
  });

  it('applies exactly the previewed changes, and refuses the same preview afterwards as stale', async () => {
    await startingUsers();
    const job = await preview();
    const answer = await apply(job.id);
    expect(answer.status).toBe(202);
    expect(answer.headers.get('location')).toBe(`/v1/jobs/${answer.body.id}`);
    expect(answer.body).toMatchObject({ mode: 'apply', object: 'user', fileName: 'users.csv' });
    const applied = await api.finished(org.adminToken, answer.body.id);
    expect(applied.status).toBe('COMPLETED');
    expect(applied.counts).toMatchObject({ created: 1, updated: 1, deleted: 1, unchanged: 1 });
    expect(await changesCsv(applied.id)).toEqual(EDIT_CHANGES);
    expect(await firstNames()).toEqual({
      'ada@example.com': 'Augusta',
      'bob@example.com': 'Bob',
      'carl@example.com': 'Carl',
    });

    const again = await apply(job.id);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'PREVIEW_STALE', laterJobId: applied.id });
  });

  it('refuses a preview another job made stale, and anything that is not a finished validate job', async () => {
    await startingUsers();
    const job = await preview();
    const meanwhile = await api.run(org.adminToken, 'user', {
      name: 'bob.csv',
      content: csv('bob@example.com,Robert,Agents,Austin,,Austin Agents,'),
    });
    expect(meanwhile.counts.updated).toBe(1);
    const stale = await apply(job.id);
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'PREVIEW_STALE', laterJobId: meanwhile.id });
    expect(stale.body.message).toMatch(/validate the file again/);

    const notPreview = await apply(meanwhile.id);
    expect(notPreview.status).toBe(409);
    expect(notPreview.body).toMatchObject({ code: 'NOT_A_PREVIEW' });

    // The usual lock rules: while another job of the organization is active, no apply starts.
    const fresh = await preview();
    const active = await createJob(context.dataSource, org.orgId, { object: 'user' });
    try {
      const busy = await apply(fresh.id);
      expect(busy.status).toBe(409);
      expect(busy.body).toMatchObject({ code: 'JOB_ALREADY_ACTIVE', activeJobId: active.id });
    } finally {
      await context.dataSource.query(
        `UPDATE job SET status = 'CANCELLED', finished_at = now() WHERE id = $1`,
        [active.id],
      );
    }
    expect((await api.get('/v1/jobs/active', org.adminToken)).status).toBe(204);
  });

  it('lets a viewer read changes but not apply, and hides another organization’s job', async () => {
    await startingUsers();
    const job = await preview();
    expect(await changesCsv(job.id, org.viewerToken)).toEqual(EDIT_CHANGES);
    expect((await apply(job.id, org.viewerToken)).status).toBe(403);
    for (const answer of [
      await api.get(`/v1/jobs/${job.id}/changes`, other.adminToken),
      await changesPage(job.id, 'limit=5', other.adminToken),
      await apply(job.id, other.adminToken),
    ]) {
      expect(answer.status).toBe(404);
      expect(answer.body).toMatchObject({ code: 'NOT_FOUND' });
    }
    expect(await firstNames()).toMatchObject({ 'ada@example.com': 'Ada' });
  });

  it('previews and applies from the command line: bulkops changes and bulkops apply', async () => {
    await startingUsers();
    const job = await preview();
    const cli = (args: string[]) => bulkops(stack.gatewayUrl, org.adminToken, args);
    const csvOut = await cli(['changes', job.id]);
    expect(parseCsv(csvOut.stdout.replace(/^\uFEFF/, ''))).toEqual(EDIT_CHANGES);
    const jsonOut = await cli(['changes', job.id, '--json']);
    const lines = jsonOut.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as ChangeView);
    expect(lines.map((c) => [c.key, c.action])).toEqual([
      ['ada@example.com', 'UPDATE'],
      ['carl@example.com', 'CREATE'],
      ['dan@example.com', 'DELETE'],
    ]);
    const applied = await cli(['apply', job.id, '--wait']);
    expect(applied.stdout).toMatch(
      / user Completed: 4\/4 rows, 1 created, 1 updated, 1 deleted, 1 unchanged, 0 failed/,
    );
    expect(await firstNames()).toMatchObject({ 'ada@example.com': 'Augusta' });
    const refused = await cli(['apply', job.id]).then(
      () => null,
      (error: { stderr: string }) => error,
    );
    expect(refused?.stderr).toMatch(/PREVIEW_STALE/);
  });

  it('documents both routes in the OpenAPI document', async () => {
    const docs = await api.get('/docs-json', null);
    const changes = docs.body.paths['/v1/jobs/{id}/changes'].get;
    expect(changes.description).toMatch(/`Column=value` pairs/);
    expect(Object.keys(changes.responses['200'].content)).toEqual(
      expect.arrayContaining(['text/csv', 'application/json']),
    );
    const applyRoute = docs.body.paths['/v1/jobs/{id}/apply'].post;
    expect(applyRoute.responses).toHaveProperty('202');
    expect(applyRoute.description).toMatch(/PREVIEW_STALE/);
    expect(applyRoute.description).toMatch(/NOT_A_PREVIEW/);
  });
});
