// The rows the benchmarks import: for each benchmarked type (BENCH_OBJECT), the set-up uploads of
// everything its rows reference, its CSV header and rows, and the same rows as `psql \copy` loads
// them. Shared by import-bench.mjs (through the services) and apply-cpu.mjs (the worker alone).

const SITES = 20;

export const csvOf = (rows) =>
  rows
    .map((cells) =>
      cells.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(','),
    )
    .join('\n');
export const siteName = (n) => `Site ${(n % SITES) + 1}`;

/** What each benchmarked type needs: its set-up uploads, its rows, and the same rows for \copy. */
const TYPES = {
  team: {
    setup: [],
    header: ['Name', 'Site', 'Type', 'Multimedia Profile', 'Skill Profile', 'Desktop Layout'],
    row: (n) => [
      `Team ${String(n).padStart(6, '0')}`,
      siteName(n),
      'AGENT',
      `MMP ${n % 7}`,
      'Gold',
      `Layout ${n % 3}`,
    ],
    table: 'team',
    foreignKeys: { site_id: 'site', skill_profile_id: 'skill_profile' },
    copyColumns: [
      'organization_id',
      'key_norm',
      'key_display',
      'name',
      'site_id',
      'type',
      'multimedia_profile',
      'skill_profile_id',
      'desktop_layout',
    ],
    copyRow: (n, ids) => {
      const name = `Team ${String(n).padStart(6, '0')}`;
      const key = `${siteName(n)}/${name}`;
      return [
        ids.orgId,
        key.toLowerCase(),
        key,
        name,
        ids.sites[siteName(n)],
        'AGENT',
        `MMP ${n % 7}`,
        ids.gold,
        `Layout ${n % 3}`,
      ];
    },
  },
  user: {
    // Each user: a site, two teams of that site, a skill profile, an agent profile and a user profile.
    setup: [
      [
        'team',
        'teams.csv',
        csvOf([
          ['Name', 'Site', 'Type'],
          ...Array.from({ length: SITES }, (_, s) => [
            ['Inbound', `Site ${s + 1}`, 'AGENT'],
            ['Outbound', `Site ${s + 1}`, 'AGENT'],
          ]).flat(),
        ]),
      ],
      ['user-profile', 'user-profiles.csv', 'Name,Profile Type\nAgents,STANDARD_AGENT\n'],
      ['agent-profile', 'agent-profiles.csv', 'Name,Description\nAgent Desktop,Default desktop\n'],
    ],
    header: [
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
    ],
    row: (n) => [
      `agent${n}@example.com`,
      `First${n}`,
      `Last${n}`,
      'Agents',
      'TRUE',
      siteName(n),
      'Inbound|Outbound',
      'Gold',
      'Agent Desktop',
      `E${n}`,
    ],
    table: 'user',
    foreignKeys: {
      user_profile_id: 'user_profile',
      site_id: 'site',
      skill_profile_id: 'skill_profile',
      agent_profile_id: 'agent_profile',
    },
    copyColumns: [
      'organization_id',
      'key_norm',
      'key_display',
      'email',
      'first_name',
      'last_name',
      'user_profile_id',
      'contact_center_enabled',
      'site_id',
      'teams_ids',
      'skill_profile_id',
      'agent_profile_id',
      'external_id',
    ],
    copyRow: (n, ids) => {
      const email = `agent${n}@example.com`;
      const teams = ids.teams[siteName(n)];
      return [
        ids.orgId,
        email,
        email,
        email,
        `First${n}`,
        `Last${n}`,
        ids.userProfile,
        'true',
        ids.sites[siteName(n)],
        `{${teams.join(',')}}`,
        ids.gold,
        ids.agentProfile,
        `E${n}`,
      ];
    },
  },
};

/** Set-up uploads every type needs: the sites, a skill and the skill profile the rows name. */
const COMMON_SETUP = [
  [
    'site',
    'sites.csv',
    csvOf([
      ['Name', 'Multimedia Profile'],
      ...Array.from({ length: SITES }, (_, i) => [`Site ${i + 1}`, 'MMP']),
    ]),
  ],
  ['skill-definition', 'skills.csv', 'Name,Service Level Threshold,Type\nEnglish,30,PROFICIENCY\n'],
  ['skill-profile', 'profiles.csv', 'Name,Skills\nGold,English:8\n'],
];

/** Rows of each file the benchmarks read: the per-file limit, so a file is one chunk. */
export const ROWS_PER_FILE = 5000;
/** Files of one benchmark upload: 20 × 5000 = the 100,000 rows the figures are given for. */
export const FILES = 20;

/** Seconds per 100,000 rows of `ms` milliseconds spent on `rows` rows. */
export function per100k(ms, rows) {
  return ((ms / rows) * 100_000) / 1000;
}

/** The entries of an upload's zip: `files` CSVs of `object` rows, the benchmark's files `first` on. */
export function benchZipEntries(spec, object, files, first = 0) {
  return Array.from({ length: files }, (_, f) => ({
    name: `${object}s-${String(f + 1).padStart(3, '0')}.csv`,
    content: benchFileCsv(spec, first + f, ROWS_PER_FILE),
  }));
}

/** The CSV of a benchmark's file `index` of `rows` rows: rows index × rows onwards. */
export function benchFileCsv(spec, index, rows) {
  return csvOf([
    spec.header,
    ...Array.from({ length: rows }, (_, r) => spec.row(index * rows + r)),
  ]);
}

/**
 * The benchmark of one type: `setup` lists [object, file name, CSV] uploads in the order they must
 * be applied, then `header`, `row(n)` and the `\copy` side (table, foreign keys, columns, rows).
 */
export function benchType(object) {
  const spec = TYPES[object];
  if (!spec) throw new Error(`BENCH_OBJECT must be one of ${Object.keys(TYPES).join(', ')}`);
  return { ...spec, setup: [...COMMON_SETUP, ...spec.setup] };
}

/** The ids the benchmark's rows reference, by what `copyRow` calls them (rows as psql \\copy loads them). */
export async function referencedIds(dataSource, orgId) {
  const [ids] = await dataSource.query(
    `SELECT $1::uuid AS "orgId",
            (SELECT id FROM skill_profile WHERE organization_id = $1) AS gold,
            (SELECT id FROM user_profile WHERE organization_id = $1) AS "userProfile",
            (SELECT id FROM agent_profile WHERE organization_id = $1) AS "agentProfile",
            (SELECT json_object_agg(name, id) FROM site WHERE organization_id = $1) AS sites,
            (SELECT json_object_agg(s.name, t.ids) FROM site s
               JOIN LATERAL (SELECT array_agg(id ORDER BY key_norm) AS ids FROM team WHERE site_id = s.id) t ON true
              WHERE s.organization_id = $1) AS teams`,
    [orgId],
  );
  return ids;
}

/**
 * Makes `table` afresh as the baseline loads into: the object table's columns, defaults and
 * indexes, with its foreign keys (the organization's and the type's).
 */
export async function createCopyTable(dataSource, spec, table) {
  await dataSource.query(
    `DROP TABLE IF EXISTS ${table}; CREATE TABLE ${table} (LIKE "${spec.table}" INCLUDING DEFAULTS INCLUDING INDEXES)`,
  );
  for (const [column, target] of Object.entries({
    organization_id: 'organization',
    ...spec.foreignKeys,
  })) {
    await dataSource.query(
      `ALTER TABLE ${table} ADD FOREIGN KEY (${column}) REFERENCES "${target}" (id)`,
    );
  }
}
