import {
  type ApiDriver,
  buildZip,
  createOrganization,
  Stack,
  type TestContext,
  type TestOrganization,
  startServices,
  stopServices,
} from '@bulkops/testing';

/** Small chunks, so a job has many and both worker replicas get some of them. */
const ENV = { INGEST_CHUNK_SIZE: '100', WORKER_CONCURRENCY: '2' };
const FILES = 6;
const ROWS_PER_FILE = 500;
const SITES = 4;

/**
 * Scale out (spec/architecture.md: every service can run as many replicas as load needs): the same
 * uploads through one ingest and one worker, then through two of each (two organizations at once,
 * so both ingest replicas read), end with the same counts, the same error reports and the same
 * objects, as the exports show them.
 */
describe('two ingest and two worker replicas', () => {
  let context: TestContext;
  let stack: Stack;
  let second: Stack | undefined;
  let api: ApiDriver;

  beforeAll(async () => {
    ({ context, stack, api } = await startServices({ env: ENV }));
  });

  afterAll(async () => {
    await second?.stop();
    await stopServices({ context, stack });
  });

  const lines = (rows: string[][]) => rows.map((cells) => cells.join(',')).join('\n');
  const site = (n: number) => `Site ${(n % SITES) + 1}`;

  const setUp: [string, string, string][] = [
    [
      'site',
      'sites.csv',
      lines([
        ['Name', 'Multimedia Profile'],
        ...Array.from({ length: SITES }, (_, i) => [site(i), 'MMP']),
      ]),
    ],
    ['skill-definition', 'skills.csv', 'Name,Service Level Threshold,Type\nEnglish,30,PROFICIENCY'],
    ['skill-profile', 'profiles.csv', 'Name,Skills\nGold,English:8'],
    [
      'team',
      'teams.csv',
      lines([
        ['Name', 'Site', 'Type'],
        ...Array.from({ length: SITES }, (_, i) => [
          ['Inbound', site(i), 'AGENT'],
          ['Outbound', site(i), 'AGENT'],
        ]).flat(),
      ]),
    ],
    ['user-profile', 'user-profiles.csv', 'Name,Profile Type\nAgents,STANDARD_AGENT'],
    ['agent-profile', 'agent-profiles.csv', 'Name,Description\nAgent Desktop,Default desktop'],
  ];

  /** A user row; some are wrong on purpose: a bad email, an unknown site, a key on two files. */
  function userRow(n: number): string[] {
    const email =
      n === 1234 ? 'agent7@example.com' : n % 97 === 0 ? `agent${n}` : `agent${n}@example.com`;
    const userSite = n % 89 === 0 ? 'Nowhere' : site(n);
    return [
      email,
      `First${n}`,
      `Last${n}`,
      'Agents',
      'TRUE',
      userSite,
      'Inbound|Outbound',
      'Gold',
      'Agent Desktop',
      `E${n}`,
    ];
  }

  async function usersZip(): Promise<Buffer> {
    const header = [
      'Email',
      'First Name',
      'Last Name',
      'User Profile',
      'Contact Center Enabled',
      'Site',
      'Teams',
      'Skill Profile',
      'Agent Profile',
      'External Id',
    ];
    return buildZip(
      Array.from({ length: FILES }, (_, f) => ({
        name: `users-${f + 1}.csv`,
        content: lines([
          header,
          ...Array.from({ length: ROWS_PER_FILE }, (_, r) => userRow(f * ROWS_PER_FILE + r)),
        ]),
      })),
    );
  }

  async function organizationWithReferences(): Promise<TestOrganization> {
    const org = await createOrganization(context.dataSource);
    for (const [object, name, content] of setUp) {
      const job = await api.run(org.adminToken, object, { name, content });
      expect(job.status).toBe('COMPLETED');
    }
    return org;
  }

  /** What an import left behind that a user can see: counts, error report, the objects exported. */
  async function outcome(org: TestOrganization, zip: Buffer) {
    const job = await api.run(org.adminToken, 'user', { name: 'users.zip', content: zip }, {});
    const exported = await api.download('/v1/objects/user/export', org.adminToken);
    return {
      status: job.status,
      counts: job.counts,
      errors: await api.errorRows(org.adminToken, job.id),
      exported: { status: exported.status, csv: exported.bytes.toString('utf8') },
    };
  }

  it('end with the same counts, error reports and objects as one of each', async () => {
    const zip = await usersZip();
    const single = await outcome(await organizationWithReferences(), zip);
    expect(single.status).toBe('COMPLETED_WITH_ERRORS');
    expect(single.counts).toMatchObject({
      total: FILES * ROWS_PER_FILE,
      processed: FILES * ROWS_PER_FILE,
    });
    expect(single.counts.created).toBeGreaterThan(FILES * ROWS_PER_FILE * 0.9);
    expect(single.counts.failed).toBeGreaterThan(0);
    expect(single.exported.status).toBe(200);

    second = await Stack.start(context, ENV, ['ingest', 'worker']);
    const [orgB, orgC] = [await organizationWithReferences(), await organizationWithReferences()];
    const replicated = await Promise.all([outcome(orgB, zip), outcome(orgC, zip)]);
    for (const result of replicated) expect(result).toEqual(single);
  });
});
