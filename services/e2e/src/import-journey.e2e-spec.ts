import {
  type ApiDriver,
  createOrganization,
  parseCsv,
  type Stack,
  type TestContext,
  type TestOrganization,
  startServices,
  stopServices,
} from '@bulkops/testing';

/**
 * The journey of spec/architecture.md through the four built services: create, re-import unchanged,
 * update, delete, references and IN_USE, row errors and a corrected re-upload, validate mode.
 */
describe('an import through the running services', () => {
  let context: TestContext;
  let stack: Stack;
  let api: ApiDriver;

  beforeAll(async () => {
    ({ context, stack, api } = await startServices());
  });

  afterAll(() => stopServices({ context, stack }));

  const sites = 'Name,Multimedia Profile\r\nAustin,MMP Default\r\nDenver,MMP Default\r\n';
  const skills =
    'Name,Description,Service Level Threshold,Type,Enum Values\nEnglish,,30,PROFICIENCY,\nLanguage,Spoken languages,20,ENUM,English|French|German\nCertified,,10,BOOLEAN,\n';
  const profiles =
    'Name,Description,Skills\nGold,Senior staff,English:8|Language:French|Language:german|Certified:yes\nSilver,,English:5\n';
  const teams = [
    'NAME,SITE,TYPE,MULTIMEDIA PROFILE,SKILL PROFILE,DN,CAPACITY,DESKTOP LAYOUT',
    'Sales,Austin,AGENT,MMP Sales,Gold,,,Global Layout',
    'Overflow,Austin,CAPACITY,,,+15125550100,25,',
    'Sales,Denver,agent,,Silver,,,',
  ].join('\n');

  async function setUp(): Promise<TestOrganization> {
    const org = await createOrganization(context.dataSource);
    for (const [object, name, content] of [
      ['site', 'sites.csv', sites],
      ['skill-definition', 'skills.csv', skills],
      ['skill-profile', 'profiles.csv', profiles],
      ['team', 'teams.csv', teams],
    ] as const) {
      const job = await api.run(org.adminToken, object, { name, content });
      expect(job.status).toBe('COMPLETED');
    }
    return org;
  }

  it('creates every row of the four types with exact counts and table contents', async () => {
    const org = await createOrganization(context.dataSource);
    const siteJob = await api.run(org.adminToken, 'site', { name: 'sites.csv', content: sites });
    expect(siteJob).toMatchObject({
      status: 'COMPLETED',
      counts: {
        total: 2,
        processed: 2,
        succeeded: 2,
        failed: 0,
        created: 2,
        updated: 0,
        deleted: 0,
        unchanged: 0,
      },
      progress: 1,
      files: [{ name: 'sites.csv', rows: 2 }],
      failure: null,
    });
    const skillJob = await api.run(org.adminToken, 'skill-definition', {
      name: 'skills.csv',
      content: skills,
    });
    expect(skillJob.counts).toMatchObject({ total: 3, created: 3, failed: 0 });
    const profileJob = await api.run(org.adminToken, 'skill-profile', {
      name: 'profiles.csv',
      content: profiles,
    });
    expect(profileJob.counts).toMatchObject({ total: 2, created: 2, failed: 0 });
    const teamJob = await api.run(org.adminToken, 'team', { name: 'teams.csv', content: teams });
    expect(teamJob.counts).toMatchObject({ total: 3, created: 3, failed: 0 });

    const q = (sql: string) => context.dataSource.query(sql, [org.orgId]);
    expect(
      await q(`SELECT name, multimedia_profile FROM site WHERE organization_id = $1 ORDER BY name`),
    ).toEqual([
      { name: 'Austin', multimedia_profile: 'MMP Default' },
      { name: 'Denver', multimedia_profile: 'MMP Default' },
    ]);
    expect(
      await q(
        `SELECT name, type, service_level_threshold AS slt, enum_values, description FROM skill_definition WHERE organization_id = $1 ORDER BY name`,
      ),
    ).toEqual([
      { name: 'Certified', type: 'BOOLEAN', slt: 10, enum_values: null, description: null },
      { name: 'English', type: 'PROFICIENCY', slt: 30, enum_values: null, description: null },
      {
        name: 'Language',
        type: 'ENUM',
        slt: 20,
        enum_values: ['English', 'French', 'German'],
        description: 'Spoken languages',
      },
    ]);
    const [gold] = await q(
      `SELECT p.name, (SELECT json_agg(json_build_array(d.name, g->>'value') ORDER BY d.name, g->>'value') FROM jsonb_array_elements(p.skills) g JOIN skill_definition d ON d.id = (g->>'id')::uuid) AS skills
         FROM skill_profile p WHERE p.organization_id = $1 AND p.name = 'Gold'`,
    );
    expect(gold.skills).toEqual([
      ['Certified', 'TRUE'],
      ['English', '8'],
      ['Language', 'French'],
      ['Language', 'German'],
    ]);
    expect(
      await q(`SELECT t.key_display, t.type, s.name AS site, t.multimedia_profile, p.name AS profile, t.dn, t.capacity, t.desktop_layout
                 FROM team t JOIN site s ON s.id = t.site_id LEFT JOIN skill_profile p ON p.id = t.skill_profile_id
                WHERE t.organization_id = $1 ORDER BY t.key_norm`),
    ).toEqual([
      {
        key_display: 'Austin/Overflow',
        type: 'CAPACITY',
        site: 'Austin',
        multimedia_profile: null,
        profile: null,
        dn: '+15125550100',
        capacity: 25,
        desktop_layout: null,
      },
      {
        key_display: 'Austin/Sales',
        type: 'AGENT',
        site: 'Austin',
        multimedia_profile: 'MMP Sales',
        profile: 'Gold',
        dn: null,
        capacity: null,
        desktop_layout: 'Global Layout',
      },
      {
        key_display: 'Denver/Sales',
        type: 'AGENT',
        site: 'Denver',
        multimedia_profile: null,
        profile: 'Silver',
        dn: null,
        capacity: null,
        desktop_layout: null,
      },
    ]);
  });

  it('reports every row unchanged when the same files are imported again', async () => {
    const org = await setUp();
    for (const [object, content] of [
      ['site', sites],
      ['skill-definition', skills],
      ['skill-profile', profiles],
      ['team', teams],
    ] as const) {
      const again = await api.run(org.adminToken, object, { name: `${object}.csv`, content });
      expect(again.status).toBe('COMPLETED');
      expect(again.counts.unchanged).toBe(again.counts.total);
      expect(again.counts).toMatchObject({ created: 0, updated: 0, deleted: 0, failed: 0 });
    }
  });

  it('counts changed rows as updated and keeps the spelling the object was created with', async () => {
    const org = await setUp();
    const job = await api.run(org.adminToken, 'team', {
      name: 'teams.csv',
      content:
        'Name,Site,Type,Skill Profile,Multimedia Profile\naustin/x,Austin,AGENT,,\nSALES,austin,AGENT,Silver,MMP Sales\nSales,Denver,AGENT,Silver,\n',
    });
    expect(job.counts).toMatchObject({ total: 3, created: 0, updated: 1, unchanged: 1, failed: 1 });
    const [row] = await context.dataSource.query(
      `SELECT t.name, p.name AS profile, t.desktop_layout FROM team t JOIN skill_profile p ON p.id = t.skill_profile_id WHERE t.organization_id = $1 AND t.key_norm = 'austin/sales'`,
      [org.orgId],
    );
    // Desktop Layout is not in the file, so it is left as it was; Name keeps its first spelling.
    expect(row).toEqual({ name: 'Sales', profile: 'Silver', desktop_layout: 'Global Layout' });
  });

  it('deletes rows marked DELETE and refuses to delete a site a team still uses, naming the team', async () => {
    const org = await setUp();
    const deleteTeams = await api.run(org.adminToken, 'team', {
      name: 'teams.csv',
      content:
        'Name,Site,Action\nOverflow,Austin,delete\nSales,Denver,DELETE\nGhost,Austin,DELETE\n',
    });
    expect(deleteTeams.counts).toMatchObject({ total: 3, deleted: 2, failed: 1 });
    const deleteSites = await api.run(org.adminToken, 'site', {
      name: 'sites.csv',
      content: 'Name,Action\nAustin,DELETE\nDenver,DELETE\n',
    });
    expect(deleteSites).toMatchObject({
      status: 'COMPLETED_WITH_ERRORS',
      counts: { total: 2, deleted: 1, failed: 1 },
    });
    const report = await api.errorRows(org.adminToken, deleteSites.id);
    expect(report[0]).toEqual(['Name', 'Action', 'Source File', 'Source Row', 'Error Message']);
    expect(report.slice(1)).toEqual([
      [
        'Austin',
        'DELETE',
        'sites.csv',
        '2',
        "Site 'Austin' is used by team 'Austin/Sales'; remove those references first",
      ],
    ]);
    const ghost = await api.errorRows(org.adminToken, deleteTeams.id);
    expect(ghost[1]).toEqual([
      'Ghost',
      'Austin',
      'DELETE',
      'teams.csv',
      '4',
      "Site + Name: no team 'Austin/Ghost' exists, so it cannot be deleted; check the name",
    ]);
    expect(
      await context.dataSource.query(`SELECT name FROM site WHERE organization_id = $1`, [
        org.orgId,
      ]),
    ).toEqual([{ name: 'Austin' }]);
  });

  it('rejects bad rows with an error file of original values that re-imports cleanly once corrected', async () => {
    const org = await setUp();
    const content = [
      'Name,Site,Type,Multimedia Profile,Skill Profile,DN,Capacity,Desktop Layout',
      'Support,Austin,AGENT,,Gold,,,',
      'Night Shift,Paris,AGENT,,,,,',
      'Callback,Denver,CAPACITY,,,,7,',
      'Weekend,Denver,AGENT,,Platinum,,,',
      'Bad/Name,Denver,AGENT,,,,,',
    ].join('\r\n');
    const job = await api.run(org.adminToken, 'team', { name: 'more-teams.csv', content });
    expect(job).toMatchObject({
      status: 'COMPLETED_WITH_ERRORS',
      counts: { total: 5, processed: 5, succeeded: 1, created: 1, failed: 4 },
    });
    const report = await api.errorRows(org.adminToken, job.id);
    expect(report).toEqual([
      [
        'Name',
        'Site',
        'Type',
        'Multimedia Profile',
        'Skill Profile',
        'DN',
        'Capacity',
        'Desktop Layout',
        'Source File',
        'Source Row',
        'Error Message',
      ],
      [
        'Night Shift',
        'Paris',
        'AGENT',
        '',
        '',
        '',
        '',
        '',
        'more-teams.csv',
        '3',
        "Site: no site named 'Paris'; create it first or fix the name",
      ],
      [
        'Callback',
        'Denver',
        'CAPACITY',
        '',
        '',
        '',
        '7',
        '',
        'more-teams.csv',
        '4',
        'DN: a value is required when Type is CAPACITY; fill in the cell',
      ],
      [
        'Weekend',
        'Denver',
        'AGENT',
        '',
        'Platinum',
        '',
        '',
        '',
        'more-teams.csv',
        '5',
        "Skill Profile: no skill profile named 'Platinum'; create it first or fix the name",
      ],
      [
        'Bad/Name',
        'Denver',
        'AGENT',
        '',
        '',
        '',
        '',
        '',
        'more-teams.csv',
        '6',
        "Name: 'Bad/Name' contains '/', which is not allowed; use letters, digits, spaces, '_', '-', '.', '(', ')' and '&', starting with a letter or digit",
      ],
    ]);
    expect(job.errorSummary).toHaveLength(4);

    const corrected = report.slice(1).map((row) => {
      const fixed = [...row];
      if (fixed[0] === 'Night Shift') fixed[1] = 'Austin';
      if (fixed[0] === 'Callback') fixed[5] = '+15125550199';
      if (fixed[0] === 'Weekend') fixed[4] = 'Gold';
      if (fixed[0] === 'Bad/Name') fixed[0] = 'Good Name';
      return fixed;
    });
    const csv = [report[0], ...corrected]
      .map((row) =>
        row.map((cell) => (/[",\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell)).join(','),
      )
      .join('\r\n');
    const again = await api.run(org.adminToken, 'team', {
      name: 'more-teams-errors.csv',
      content: `\uFEFF${csv}`,
    });
    expect(again).toMatchObject({
      status: 'COMPLETED',
      counts: { total: 4, created: 4, failed: 0 },
    });
    expect(
      parseCsv(
        (await api.get(`/v1/jobs/${again.id}/errors`, org.adminToken)).text.replace(/^\uFEFF/, ''),
      ),
    ).toHaveLength(1);
  });

  it('validates without changing anything and reports the same errors as apply', async () => {
    const org = await setUp();
    const content =
      'Name,Site,Type,DN,Capacity\nNew Team,Austin,AGENT,,\nOther,Paris,AGENT,,\nCap,Denver,CAPACITY,+1555,\n';
    const validated = await api.run(
      org.adminToken,
      'team',
      { name: 'teams.csv', content },
      { mode: 'validate' },
    );
    expect(validated).toMatchObject({
      mode: 'validate',
      status: 'COMPLETED_WITH_ERRORS',
      counts: { total: 3, created: 1, failed: 2 },
    });
    expect(
      await context.dataSource.query(
        `SELECT count(*)::int AS n FROM team WHERE organization_id = $1`,
        [org.orgId],
      ),
    ).toEqual([{ n: 3 }]);
    const applied = await api.run(org.adminToken, 'team', { name: 'teams.csv', content });
    expect(applied.counts).toEqual(validated.counts);
    expect((await api.errorRows(org.adminToken, applied.id)).slice(1)).toEqual(
      (await api.errorRows(org.adminToken, validated.id)).slice(1),
    );
    expect(
      await context.dataSource.query(
        `SELECT count(*)::int AS n FROM team WHERE organization_id = $1`,
        [org.orgId],
      ),
    ).toEqual([{ n: 4 }]);
  });
});
