import { OBJECT_TYPES } from '@bulkops/objects';
import {
  type ApiDriver,
  createOrganization,
  fixturesOf,
  type Stack,
  type TestContext,
  type TestOrganization,
  startServices,
  stopServices,
} from '@bulkops/testing';

/**
 * Rules of objects.md that span rows or objects and that the fixtures cannot show, because they
 * change something (an invalid fixture must change nothing): the auxiliary-code default flag, Type
 * changes of unused work types, dialed-number keys, and what is stored for the structured cells.
 * Each test builds the example contact center of the valid fixtures in an organization of its own.
 */
describe('rules spanning rows and objects, through the running services', () => {
  let context: TestContext;
  let stack: Stack;
  let api: ApiDriver;

  beforeAll(async () => {
    ({ context, stack, api } = await startServices());
  });

  afterAll(() => stopServices({ context, stack }));

  async function contactCenter(): Promise<TestOrganization> {
    const org = await createOrganization(context.dataSource);
    for (const { type } of OBJECT_TYPES) {
      const fixtures = fixturesOf(type);
      if (!fixtures) continue;
      const job = await api.run(org.adminToken, type, {
        name: fixtures.validName,
        content: fixtures.valid,
      });
      expect({ type, status: job.status }).toEqual({ type, status: 'COMPLETED' });
    }
    return org;
  }

  function query<T = Record<string, unknown>>(org: TestOrganization, sql: string): Promise<T[]> {
    return context.dataSource.query(sql, [org.orgId]);
  }

  it('stores call distributions, entries and lists canonically, with aliases and telephony-only defaults resolved', async () => {
    const org = await contactCenter();
    expect(
      await query(
        org,
        `SELECT q.key_display AS queue, g.ord AS "group", (g.value->>'after')::int AS after,
                (SELECT array_agg(t.key_display ORDER BY x.ord) FROM jsonb_array_elements_text(g.value->'teams') WITH ORDINALITY x(id, ord) JOIN team t ON t.id = x.id::uuid) AS teams
           FROM queue q, jsonb_array_elements(q.call_distribution) WITH ORDINALITY g(value, ord)
          WHERE q.organization_id = $1 AND q.key_norm IN ('sales queue', 'support queue') ORDER BY 1, 2`,
      ),
    ).toEqual([
      { queue: 'Sales Queue', group: '1', after: 0, teams: ['Austin/Sales', 'Denver/Sales'] },
      { queue: 'Sales Queue', group: '2', after: 60, teams: ['Austin/Overflow'] },
      { queue: 'Support Queue', group: '1', after: 0, teams: ['London/Support'] },
      { queue: 'Support Queue', group: '2', after: 120, teams: ['Denver/Sales'] },
      { queue: 'Support Queue', group: '3', after: 600, teams: ['Austin/Overflow'] },
    ]);
    expect(
      await query(
        org,
        `SELECT entries FROM outdial_ani WHERE organization_id = $1 AND key_norm = 'us caller ids'`,
      ),
    ).toEqual([
      {
        entries: [
          { key: 'Main', value: '+18005550100' },
          { key: 'Support', value: '+18005550199' },
          { key: 'Lab', value: 'sip:lab@example.com' },
        ],
      },
    ]);
    expect(
      await query(
        org,
        `SELECT key_display, channel_type, social_channel_type, permit_monitoring, permit_recording, record_all_calls, routing_type, skill_based_agent_selection
           FROM queue WHERE organization_id = $1 ORDER BY key_norm`,
      ),
    ).toEqual([
      {
        key_display: 'Chat Queue',
        channel_type: 'CHAT',
        social_channel_type: null,
        permit_monitoring: null,
        permit_recording: null,
        record_all_calls: null,
        routing_type: 'LONGEST_AVAILABLE_AGENT',
        skill_based_agent_selection: null,
      },
      {
        key_display: 'Sales Queue',
        channel_type: 'TELEPHONY',
        social_channel_type: null,
        permit_monitoring: true,
        permit_recording: true,
        record_all_calls: false,
        routing_type: 'LONGEST_AVAILABLE_AGENT',
        skill_based_agent_selection: null,
      },
      {
        key_display: 'Social Queue',
        channel_type: 'SOCIAL_CHANNEL',
        social_channel_type: 'SMS',
        permit_monitoring: null,
        permit_recording: null,
        record_all_calls: null,
        routing_type: 'LONGEST_AVAILABLE_AGENT',
        skill_based_agent_selection: null,
      },
      {
        key_display: 'Support Queue',
        channel_type: 'TELEPHONY',
        social_channel_type: null,
        permit_monitoring: true,
        permit_recording: true,
        record_all_calls: true,
        routing_type: 'SKILLS_BASED',
        skill_based_agent_selection: 'BEST_AVAILABLE_AGENT',
      },
    ]);
    expect(
      await query(
        org,
        `SELECT social_channel_type FROM entry_point WHERE organization_id = $1 AND key_norm = 'facebook'`,
      ),
    ).toEqual([{ social_channel_type: 'MESSENGER' }]);
    expect(
      await query(
        org,
        `SELECT u.key_display, s.key_display AS site, p.key_display AS profile,
                (SELECT array_agg(t.name ORDER BY t.key_norm) FROM team t WHERE t.id = ANY(u.teams_ids)) AS teams
           FROM "user" u LEFT JOIN site s ON s.id = u.site_id LEFT JOIN agent_profile p ON p.id = u.agent_profile_id
          WHERE u.organization_id = $1 ORDER BY u.key_norm`,
      ),
    ).toEqual([
      {
        key_display: 'ada@example.com',
        site: 'Austin',
        profile: 'Austin Agents',
        teams: ['Sales'],
      },
      {
        key_display: 'alan@example.com',
        site: 'London',
        profile: 'Default (Org)',
        teams: ['Support'],
      },
      {
        key_display: 'grace@example.com',
        site: 'Denver',
        profile: 'Denver Agents',
        teams: ['Sales'],
      },
      { key_display: 'linus@example.com', site: null, profile: null, teams: null },
      {
        key_display: 'Margaret.Hamilton@Example.com',
        site: 'Austin',
        profile: 'Austin Agents',
        teams: null,
      },
    ]);
    expect(
      await query(
        org,
        `SELECT (SELECT array_agg(c.name ORDER BY x.ord) FROM unnest(p.idle_codes_ids) WITH ORDINALITY x(id, ord) JOIN auxiliary_code c ON c.id = x.id) AS idle,
                p.dial_plans, p.validation_criteria, p.dn_validation, p.auto_wrap_up_time
           FROM agent_profile p WHERE p.organization_id = $1 AND p.key_norm = 'austin agents'`,
      ),
    ).toEqual([
      {
        idle: ['Coffee (short)', 'Lunch'],
        dial_plans: ['International', 'US Domestic'],
        validation_criteria: ['US Numbers'],
        dn_validation: 'VALIDATION_CRITERIA',
        auto_wrap_up_time: 30,
      },
    ]);
  });

  it('moves the default flag to the code that claims it, within the kind only', async () => {
    const org = await contactCenter();
    const defaults = () =>
      query(
        org,
        `SELECT key_display FROM auxiliary_code WHERE organization_id = $1 AND is_default ORDER BY key_norm`,
      );
    expect(await defaults()).toEqual([
      { key_display: 'Coffee (short)' },
      { key_display: 'Resolved' },
    ]);
    const job = await api.run(org.adminToken, 'auxiliary-code', {
      name: 'codes.csv',
      content: 'Name,Default,Work Type\nTeam Meeting,TRUE,Meetings\n',
    });
    expect(job.counts).toMatchObject({ total: 1, updated: 1, failed: 0 });
    expect(await defaults()).toEqual([
      { key_display: 'Resolved' },
      { key_display: 'Team Meeting' },
    ]);
    const again = await api.run(org.adminToken, 'auxiliary-code', {
      name: 'codes.csv',
      content: 'Name,Default,Work Type\nTeam Meeting,TRUE,Meetings\n',
    });
    expect(again.counts).toMatchObject({ total: 1, unchanged: 1 });
    expect(await defaults()).toEqual([
      { key_display: 'Resolved' },
      { key_display: 'Team Meeting' },
    ]);
  });

  it('lets codes and work types change kind while no agent profile lists the code', async () => {
    const org = await contactCenter();
    const workTypes = await api.run(org.adminToken, 'work-type', {
      name: 'work-types.csv',
      content: 'Name,Type\nSpare Idle,WRAP_UP_CODE\n',
    });
    expect(workTypes.counts).toMatchObject({ total: 1, updated: 1, failed: 0 });
    const created = await api.run(org.adminToken, 'auxiliary-code', {
      name: 'codes.csv',
      content: 'Name,Work Type\nPaperwork,Meetings\n',
    });
    expect(created.counts).toMatchObject({ created: 1 });
    const moved = await api.run(org.adminToken, 'auxiliary-code', {
      name: 'codes.csv',
      content: 'Name,Work Type\nPaperwork,After Call\n',
    });
    expect(moved.counts).toMatchObject({ total: 1, updated: 1, failed: 0 });
    const stillUsed = await api.run(org.adminToken, 'work-type', {
      name: 'work-types.csv',
      content: 'Name,Type\nAfter Call,IDLE_CODE\n',
    });
    expect(
      (await api.errorRows(org.adminToken, stillUsed.id)).slice(1).map((row) => row.at(-1)),
    ).toEqual([
      "Type: cannot change while auxiliary codes 'Escalated', 'Paperwork' and 'Resolved' use the work type (it is stored as 'WRAP_UP_CODE', the row says 'IDLE_CODE'); move those codes to another work type first or keep the Type",
    ]);
  });

  it("finds a dialed number however '.' and '-' are placed, keeping its first spelling", async () => {
    const org = await contactCenter();
    const job = await api.run(org.adminToken, 'dn-mapping', {
      name: 'numbers.csv',
      content: 'Dialed Number,Entry Point,Region\n+1-303-555-0142,Main Line,US\n',
    });
    expect(job.counts).toMatchObject({ total: 1, updated: 1, created: 0 });
    expect(
      await query(
        org,
        `SELECT d.key_display, d.dialed_number, e.name AS entry_point FROM dn_mapping d JOIN entry_point e ON e.id = d.entry_point_id WHERE d.organization_id = $1 AND d.key_norm = '+13035550142'`,
      ),
    ).toEqual([
      {
        key_display: '+1.303.555.0142',
        dialed_number: '+1.303.555.0142',
        entry_point: 'Main Line',
      },
    ]);
  });

  it('reports a list written in another order as unchanged', async () => {
    const org = await contactCenter();
    const content =
      'Name,Profile Type,Queue Access,Queues,Site Access,Sites,Team Access,Teams\nPremium Agents,PREMIUM_AGENT,SPECIFIC,chat queue|Support Queue,SPECIFIC,Denver|london,SPECIFIC,Denver/Sales|London/Support\n';
    const job = await api.run(org.adminToken, 'user-profile', { name: 'profiles.csv', content });
    expect(job.counts).toMatchObject({ total: 1, unchanged: 1 });
  });

  it('asks for the Teams column when a row moves a user to another site', async () => {
    const org = await contactCenter();
    const job = await api.run(org.adminToken, 'user', {
      name: 'users.csv',
      content:
        'Email,User Profile,Site,Desktop Profile\ngrace@example.com,Premium Agents,Austin,Default (Org)\n',
    });
    expect((await api.errorRows(org.adminToken, job.id)).slice(1).map((row) => row.at(-1))).toEqual(
      [
        'Teams: the row changes Site, but the file has no Teams column to check against it; add the Teams column',
      ],
    );
    const withTeams = await api.run(org.adminToken, 'user', {
      name: 'users.csv',
      content:
        'Email,User Profile,Site,Teams,Desktop Profile\ngrace@example.com,Premium Agents,Austin,Sales,Default (Org)\n',
    });
    expect(withTeams.counts).toMatchObject({ total: 1, updated: 1, failed: 0 });
    expect(
      await query(
        org,
        `SELECT t.key_display FROM "user" u JOIN team t ON t.id = ANY(u.teams_ids) WHERE u.organization_id = $1 AND u.key_norm = 'grace@example.com'`,
      ),
    ).toEqual([{ key_display: 'Austin/Sales' }]);
  });
});
