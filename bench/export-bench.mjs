#!/usr/bin/env node
// Export benchmark (spec/api.md "export", objects.md §1.9): how fast a large export streams and
// whether the gateway's memory stays flat as the number of records grows.
//
// Starts the built services on a scratch database, imports the fixtures of the type and of what it
// references, clones one record by SQL until two organizations hold --small and --records records,
// then downloads each export --runs times, measuring time to first byte, time to last byte, bytes,
// and the gateway's peak resident memory while the export streams (sampled from /proc every 5 ms).
//
//   npx nx run-many -t build && node bench/export-bench.mjs [--type user] [--records 100000] [--small 5000] [--runs 3]
//     [--gateway-heap-mb 64] [--bundle]
//
// --bundle downloads the organization export (GET /v1/export: every type, the large one in parts)
// instead of the type's own export.
//
// Needs Postgres and Redis (BENCH_DATABASE_ADMIN_URL, BENCH_REDIS_URL; local defaults).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
require('reflect-metadata');
const { Client } = require('pg');
const { createDataSource, ensureDatabase, runMigrations } = require('@bulkops/database');
const { getObject, OBJECT_TYPES } = require('@bulkops/objects');
const {
  ApiDriver,
  cloneRecords,
  createOrganization,
  deleteRedisPrefix,
  fixturesOf,
  Stack,
} = require('@bulkops/testing');

const { values: options } = parseArgs({
  options: {
    type: { type: 'string', default: 'user' },
    records: { type: 'string', default: '100000' },
    small: { type: 'string', default: '5000' },
    runs: { type: 'string', default: '3' },
    // Caps the gateway's V8 old space: an export that held records would then run out of memory.
    'gateway-heap-mb': { type: 'string' },
    bundle: { type: 'boolean', default: false },
  },
});
const type = options.type;
const sizes = [Number(options.small), Number(options.records)];
const runs = Number(options.runs);
const adminUrl =
  process.env.BENCH_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The type and everything it references, in import order. */
function withDependencies(name) {
  const needed = new Set();
  const visit = (t) => {
    if (needed.has(t)) return;
    needed.add(t);
    getObject(t).dependsOn.forEach(visit);
  };
  visit(name);
  return OBJECT_TYPES.filter((d) => needed.has(d.type));
}

async function admin(sql) {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function rssKb(pid, field) {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(field));
  return Number(line.split(/\s+/)[1]);
}

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The gateway's V8 heap in use, in MB, from its Prometheus metrics. */
async function heapUsedMb(gatewayUrl) {
  const text = await (await fetch(`${gatewayUrl}/metrics`)).text();
  // Every series carries the service's labels.
  return Number(/^nodejs_heap_size_used_bytes(?:\{[^}]*\})? (\S+)/m.exec(text)[1]) / 1048576;
}

/**
 * Downloads an export, reading as fast as possible, while sampling the gateway's resident memory
 * (from /proc, every 5 ms) and its V8 heap in use (from /metrics, every 250 ms). RSS includes heap
 * V8 keeps after collecting; heap in use shows what the export actually holds.
 */
async function measureExport(gatewayUrl, path, token, gatewayPid) {
  const baselineMb = rssKb(gatewayPid, 'VmRSS') / 1024;
  let peakKb = 0;
  const sampler = setInterval(() => (peakKb = Math.max(peakKb, rssKb(gatewayPid, 'VmRSS'))), 5);
  const heap = [];
  const heapSampler = setInterval(() => heapUsedMb(gatewayUrl).then((mb) => heap.push(mb)), 250);
  const cpuBefore = cpuSeconds(gatewayPid);
  const started = performance.now();
  const response = await fetch(`${gatewayUrl}${path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (response.status !== 200)
    throw new Error(`export answered ${response.status}: ${await response.text()}`);
  const reader = response.body.getReader();
  let firstByte;
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    firstByte ??= performance.now();
    bytes += value.length;
  }
  const lastByte = performance.now();
  clearInterval(sampler);
  clearInterval(heapSampler);
  heap.push(await heapUsedMb(gatewayUrl));
  peakKb = Math.max(peakKb, rssKb(gatewayPid, 'VmRSS'));
  return {
    file: response.headers.get('content-type').startsWith('application/zip') ? 'zip' : 'csv',
    ttfbMs: firstByte - started,
    lastByteS: (lastByte - started) / 1000,
    gatewayCpuS: cpuSeconds(gatewayPid) - cpuBefore,
    kb: bytes / 1024,
    baselineMb,
    peakMb: peakKb / 1024,
    heapMaxMb: Math.max(...heap),
  };
}

const name = `bulkops_bench_export_${randomBytes(3).toString('hex')}`;
const databaseUrl = Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString();
const queuePrefix = `bench-${name}`;
const storageDir = await mkdtemp(join(tmpdir(), 'bulkops-bench-'));
let stack;
let dataSource;
try {
  await ensureDatabase(databaseUrl);
  await runMigrations({ databaseUrl, databasePoolSize: 1 });
  dataSource = await createDataSource(
    { databaseUrl, databasePoolSize: 2 },
    'bulkops-bench',
  ).initialize();
  const env = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: queuePrefix,
    STORAGE_DIR: storageDir,
    LOG_LEVEL: 'warn',
  };
  stack = await Stack.start({ env }, {}, ['ingest', 'worker', 'status']);
  const heap = options['gateway-heap-mb'];
  await stack.startService('gateway', heap ? { NODE_OPTIONS: `--max-old-space-size=${heap}` } : {});
  const api = new ApiDriver(stack.gatewayUrl);
  const declaration = getObject(type);

  const orgs = [];
  for (const size of sizes) {
    const org = await createOrganization(dataSource, `Bench ${size}`);
    for (const d of withDependencies(type)) {
      const fixtures = fixturesOf(d.type);
      // A referenced type without fixtures is passed over; fixtures that needed it would fail here.
      if (!fixtures) continue;
      const job = await api.run(org.adminToken, d.type, {
        name: fixtures.validName,
        content: fixtures.valid,
      });
      if (job.status !== 'COMPLETED')
        throw new Error(`importing the ${d.type} fixtures ended ${job.status}`);
    }
    const [{ n }] = await dataSource.query(
      `SELECT count(*)::int AS n FROM "${declaration.table}" WHERE organization_id = $1`,
      [org.orgId],
    );
    const started = performance.now();
    await cloneRecords(dataSource, org.orgId, type, size - n);
    console.log(
      `set up ${size} ${type} records in ${((performance.now() - started) / 1000).toFixed(1)} s (SQL insert)`,
    );
    orgs.push({ size, org });
  }
  await dataSource.query('VACUUM ANALYZE');

  const gatewayPid = stack.pid('gateway');
  const results = [];
  for (const { size, org } of orgs) {
    for (let run = 1; run <= runs; run += 1) {
      const result = await measureExport(
        stack.gatewayUrl,
        options.bundle ? '/v1/export' : `/v1/objects/${type}/export`,
        org.viewerToken,
        gatewayPid,
      );
      results.push({ records: size, run, ...result });
    }
  }

  console.log(
    `\n${options.bundle ? 'organization export (bundle) holding' : 'export of'} ${type}, ${runs} runs per size (gateway pid ${gatewayPid}, VmHWM ${(rssKb(gatewayPid, 'VmHWM') / 1024).toFixed(0)} MB at the end)`,
  );
  console.log(
    '  records  run  file  first byte   last byte  gateway CPU        size  RSS before  peak RSS  peak heap used',
  );
  for (const r of results) {
    console.log(
      `${String(r.records).padStart(9)}  ${String(r.run).padStart(3)}  ${r.file.padEnd(4)}  ${r.ttfbMs.toFixed(0).padStart(7)} ms  ${r.lastByteS.toFixed(2).padStart(8)} s  ${r.gatewayCpuS.toFixed(2).padStart(9)} s  ${r.kb.toFixed(0).padStart(7)} KB  ${r.baselineMb.toFixed(0).padStart(7)} MB  ${r.peakMb.toFixed(0).padStart(5)} MB  ${r.heapMaxMb.toFixed(0).padStart(11)} MB`,
    );
  }
  const peakOf = (size, key = 'peakMb') =>
    Math.max(...results.filter((r) => r.records === size).map((r) => r[key]));
  const best = (size, key) =>
    Math.min(...results.filter((r) => r.records === size).map((r) => r[key]));
  console.log(
    `\npeak gateway RSS: ${peakOf(sizes[0]).toFixed(0)} MB exporting ${sizes[0]}, ${peakOf(sizes[1]).toFixed(0)} MB exporting ${sizes[1]}`,
  );
  console.log(
    `peak gateway heap in use: ${peakOf(sizes[0], 'heapMaxMb').toFixed(0)} MB exporting ${sizes[0]}, ${peakOf(sizes[1], 'heapMaxMb').toFixed(0)} MB exporting ${sizes[1]}`,
  );
  console.log(
    `best of ${runs}: ${sizes[1]} records first byte ${best(sizes[1], 'ttfbMs').toFixed(0)} ms, last byte ${best(sizes[1], 'lastByteS').toFixed(2)} s (${(sizes[1] / best(sizes[1], 'lastByteS')).toFixed(0)} records/s)`,
  );
} finally {
  await stack?.stop();
  await dataSource?.destroy();
  await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await rm(storageDir, { recursive: true, force: true });
  await deleteRedisPrefix(redisUrl, queuePrefix);
}
