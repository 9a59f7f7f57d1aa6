#!/usr/bin/env node
// Import throughput: a zip of 20 × 5000 rows (BENCH_OBJECT=team or user, default user) through
// the running services, from upload to final status; and in the same run the time `psql \copy`
// needs to load the same rows into a plain table with the same columns, indexes and foreign keys.
// Run: npm run bench (builds first), or BENCH_OBJECT=team node bench/import-bench.mjs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildZip, importAndWait, root, startScratchStack, timePsqlCopy } from './lib.mjs';

const OBJECT = process.env.BENCH_OBJECT ?? 'user';
const FILES = Number(process.env.BENCH_FILES ?? 20);
const ROWS_PER_FILE = 5000;
const SITES = 20;
const total = FILES * ROWS_PER_FILE;
const out = join(root, 'bench', 'out');
mkdirSync(out, { recursive: true });

const csvOf = (rows) =>
  rows
    .map((cells) =>
      cells.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(','),
    )
    .join('\n');
const siteName = (n) => `Site ${(n % SITES) + 1}`;

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
const spec = TYPES[OBJECT];
if (!spec) throw new Error(`BENCH_OBJECT must be one of ${Object.keys(TYPES).join(', ')}`);

// Service settings to try, e.g. BENCH_ENV='INGEST_CHUNK_SIZE=2500,WORKER_CONCURRENCY=3'.
const serviceEnv = Object.fromEntries(
  (process.env.BENCH_ENV ?? '')
    .split(',')
    .filter(Boolean)
    .map((pair) => pair.split('=')),
);
const stack = await startScratchStack(`bulkops_bench_${OBJECT.replace(/-/g, '_')}`, serviceEnv);
try {
  // Set-up (not timed): everything the rows reference.
  const setup = [
    [
      'site',
      'sites.csv',
      csvOf([
        ['Name', 'Multimedia Profile'],
        ...Array.from({ length: SITES }, (_, i) => [`Site ${i + 1}`, 'MMP']),
      ]),
    ],
    [
      'skill-definition',
      'skills.csv',
      'Name,Service Level Threshold,Type\nEnglish,30,PROFICIENCY\n',
    ],
    ['skill-profile', 'profiles.csv', 'Name,Skills\nGold,English:8\n'],
    ...spec.setup,
  ];
  for (const [object, name, content] of setup) {
    const { job } = await importAndWait(stack, object, name, content);
    if (job.status !== 'COMPLETED') throw new Error(`set-up ${object} ended ${job.status}`);
  }

  const entries = Array.from({ length: FILES }, (_, f) => ({
    name: `${OBJECT}s-${String(f + 1).padStart(3, '0')}.csv`,
    content: csvOf([
      spec.header,
      ...Array.from({ length: ROWS_PER_FILE }, (_, r) => spec.row(f * ROWS_PER_FILE + r)),
    ]),
  }));
  const zip = await buildZip(entries);

  const { job, ms } = await importAndWait(stack, OBJECT, `${OBJECT}s.zip`, zip);
  if (job.status !== 'COMPLETED' || job.counts.created !== total)
    throw new Error(`unexpected outcome: ${job.status} ${JSON.stringify(job.counts)}`);
  const [phases] = await stack.dataSource.query(
    `SELECT extract(epoch FROM ingested_at - started_at) * 1000 AS ingest_ms, extract(epoch FROM finished_at - ingested_at) * 1000 AS apply_ms FROM job WHERE id = $1`,
    [job.id],
  );
  const peak = stack.peakRssMb();

  // The same rows as psql \copy loads them: a plain table with the object table's columns, indexes and foreign keys.
  const [ids] = await stack.dataSource.query(
    `SELECT $1::uuid AS "orgId",
            (SELECT id FROM skill_profile WHERE organization_id = $1) AS gold,
            (SELECT id FROM user_profile WHERE organization_id = $1) AS "userProfile",
            (SELECT id FROM agent_profile WHERE organization_id = $1) AS "agentProfile",
            (SELECT json_object_agg(name, id) FROM site WHERE organization_id = $1) AS sites,
            (SELECT json_object_agg(s.name, t.ids) FROM site s
               JOIN LATERAL (SELECT array_agg(id ORDER BY key_norm) AS ids FROM team WHERE site_id = s.id) t ON true
              WHERE s.organization_id = $1) AS teams`,
    [stack.orgId],
  );
  const copyTable = `bench_${spec.table}`;
  await stack.dataSource.query(
    `DROP TABLE IF EXISTS ${copyTable}; CREATE TABLE ${copyTable} (LIKE "${spec.table}" INCLUDING DEFAULTS INCLUDING INDEXES)`,
  );
  for (const [column, target] of Object.entries({
    organization_id: 'organization',
    ...spec.foreignKeys,
  })) {
    await stack.dataSource.query(
      `ALTER TABLE ${copyTable} ADD FOREIGN KEY (${column}) REFERENCES "${target}" (id)`,
    );
  }
  const csvPath = join(out, `${OBJECT}-copy.csv`);
  writeFileSync(
    csvPath,
    `${csvOf(Array.from({ length: total }, (_, n) => spec.copyRow(n, ids)))}\n`,
  );
  const copyMs = timePsqlCopy(stack.databaseUrl, copyTable, spec.copyColumns, csvPath);

  const rate = (rows, milliseconds) => Math.round(rows / (milliseconds / 1000));
  console.log(
    `import of ${total} ${OBJECT} rows (${FILES} files of ${ROWS_PER_FILE} in one zip) through the services${process.env.BENCH_ENV ? ` (${process.env.BENCH_ENV})` : ''}:`,
  );
  console.log(`  end to end      ${(ms / 1000).toFixed(2)} s  = ${rate(total, ms)} rows/s`);
  console.log(`  ingest phase    ${(phases.ingest_ms / 1000).toFixed(2)} s  (read, check, stage)`);
  console.log(
    `  apply phase     ${(phases.apply_ms / 1000).toFixed(2)} s  (resolve references, upsert, ledger)`,
  );
  console.log(
    `psql \\copy of the same rows into a plain table with the same indexes and foreign keys:`,
  );
  console.log(`  ${(copyMs / 1000).toFixed(2)} s  = ${rate(total, copyMs)} rows/s`);
  console.log(
    `the import runs at ${((copyMs / ms) * 100).toFixed(0)}% of the \\copy rate (target: at least 50%)`,
  );
  console.log(
    `peak RSS (MB): ${Object.entries(peak)
      .map(([s, mb]) => `${s} ${mb}`)
      .join(', ')}`,
  );
} finally {
  await stack.stop();
}
