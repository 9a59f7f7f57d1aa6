#!/usr/bin/env node
// Import throughput: a zip of 20 × 5000 team rows through the running services (upload to final
// status), and in the same run the time `psql \copy` needs to load the same rows into a plain table
// with the same columns and indexes. Run: npm run bench (builds first). Prints the figures.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildZip, importAndWait, root, startScratchStack, timePsqlCopy } from './lib.mjs';

const FILES = Number(process.env.BENCH_FILES ?? 20);
const ROWS_PER_FILE = 5000;
const SITES = 20;
const total = FILES * ROWS_PER_FILE;
const out = join(root, 'bench', 'out');
mkdirSync(out, { recursive: true });

const stack = await startScratchStack('bulkops_bench_import');
try {
  // Set-up (not timed): the sites and the skill profile the teams reference.
  const sites = ['Name,Multimedia Profile', ...Array.from({ length: SITES }, (_, i) => `Site ${i + 1},MMP`)].join('\n');
  await importAndWait(stack, 'site', 'sites.csv', sites);
  await importAndWait(stack, 'skill-definition', 'skills.csv', 'Name,Service Level Threshold,Type\nEnglish,30,PROFICIENCY\n');
  await importAndWait(stack, 'skill-profile', 'profiles.csv', 'Name,Skills\nGold,English:8\n');

  const header = 'Name,Site,Type,Multimedia Profile,Skill Profile,DN,Capacity,Desktop Layout';
  const row = (n) => `Team ${String(n).padStart(6, '0')},Site ${(n % SITES) + 1},AGENT,MMP ${n % 7},Gold,,,Layout ${n % 3}`;
  const entries = Array.from({ length: FILES }, (_, f) => ({
    name: `teams-${String(f + 1).padStart(3, '0')}.csv`,
    content: [header, ...Array.from({ length: ROWS_PER_FILE }, (_, r) => row(f * ROWS_PER_FILE + r))].join('\n'),
  }));
  const zip = await buildZip(entries);

  const { job, ms } = await importAndWait(stack, 'team', 'teams.zip', zip);
  if (job.status !== 'COMPLETED' || job.counts.created !== total) throw new Error(`unexpected outcome: ${JSON.stringify(job.counts)} ${job.status}`);
  const [phases] = await stack.dataSource.query(
    `SELECT extract(epoch FROM ingested_at - started_at) * 1000 AS ingest_ms, extract(epoch FROM finished_at - ingested_at) * 1000 AS apply_ms FROM job WHERE id = $1`,
    [job.id],
  );
  const peak = stack.peakRssMb();

  // The same rows as psql \copy sees them: a plain table with the team table's columns and indexes.
  const [ids] = await stack.dataSource.query(
    `SELECT (SELECT id FROM skill_profile WHERE organization_id = $1) AS gold,
            (SELECT json_object_agg(name, id) FROM site WHERE organization_id = $1) AS sites`,
    [stack.orgId],
  );
  await stack.dataSource.query(`DROP TABLE IF EXISTS bench_team; CREATE TABLE bench_team (LIKE team INCLUDING DEFAULTS INCLUDING INDEXES)`);
  const csv = Array.from({ length: total }, (_, n) => {
    const site = `Site ${(n % SITES) + 1}`;
    const name = `Team ${String(n).padStart(6, '0')}`;
    return [stack.orgId, `${site}/${name}`.toLowerCase(), `${site}/${name}`, name, ids.sites[site], 'AGENT', `MMP ${n % 7}`, ids.gold, `Layout ${n % 3}`].join(',');
  }).join('\n');
  const csvPath = join(out, 'teams-copy.csv');
  writeFileSync(csvPath, `${csv}\n`);
  const copyMs = timePsqlCopy(stack.databaseUrl, 'bench_team', ['organization_id', 'key_norm', 'key_display', 'name', 'site_id', 'type', 'multimedia_profile', 'skill_profile_id', 'desktop_layout'], csvPath);

  const rate = (rows, milliseconds) => Math.round(rows / (milliseconds / 1000));
  console.log(`import of ${total} team rows (${FILES} files in one zip) through the services:`);
  console.log(`  end to end      ${(ms / 1000).toFixed(2)} s  = ${rate(total, ms)} rows/s`);
  console.log(`  ingest phase    ${(phases.ingest_ms / 1000).toFixed(2)} s  (read, check, stage)`);
  console.log(`  apply phase     ${(phases.apply_ms / 1000).toFixed(2)} s  (resolve, upsert, ledger)`);
  console.log(`psql \\copy of the same rows into a plain table with the same indexes:`);
  console.log(`  ${(copyMs / 1000).toFixed(2)} s  = ${rate(total, copyMs)} rows/s`);
  console.log(`ratio: the import runs at ${(copyMs / ms * 100).toFixed(0)}% of the \\copy rate`);
  console.log(`peak RSS (MB): ${Object.entries(peak).map(([s, mb]) => `${s} ${mb}`).join(', ')}`);
} finally {
  await stack.stop();
}
