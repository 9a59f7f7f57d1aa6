#!/usr/bin/env node
// Read latency of the job routes under concurrency, at rest (nothing else running): a scratch stack
// with a few finished jobs — one clean, one with 5000 rejected rows of 5000 distinct messages, one
// with 5000 copies of one key — then rounds of READ_CONCURRENCY (default 200) simultaneous requests
// to each route, printing p50/p99/max per route. Run after a build: node bench/read-latency.mjs.
// READ_ROUNDS (default 5), READ_ROUTE (a part of a route's label, to run only those) and
// READ_ENV='DATABASE_POOL_SIZE=20' (service settings) vary the run.
import { importAndWait, startScratchStack } from './lib.mjs';

const CONCURRENCY = Number(process.env.READ_CONCURRENCY ?? 200);
const ROUNDS = Number(process.env.READ_ROUNDS ?? 5);
const serviceEnv = Object.fromEntries(
  (process.env.READ_ENV ?? '')
    .split(',')
    .filter(Boolean)
    .map((pair) => pair.split('=')),
);

const header = 'Name,Multimedia Profile';
const rows = (count, row) => Array.from({ length: count }, (_, i) => row(i)).join('\n');

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** `ROUNDS` rounds of `CONCURRENCY` simultaneous GETs; answers the latencies of every request. */
async function measure(stack, path, expected = 200) {
  const latencies = [];
  const failures = {};
  let bytes = 0;
  for (let round = 0; round < ROUNDS; round += 1) {
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        const started = performance.now();
        const answer = await fetch(`${stack.url}${path}`, {
          headers: { authorization: `Bearer ${stack.token}` },
        });
        const body = await answer.arrayBuffer();
        latencies.push(performance.now() - started);
        if (answer.status === expected) bytes = body.byteLength;
        else failures[answer.status] = (failures[answer.status] ?? 0) + 1;
      }),
    );
  }
  return { latencies: latencies.sort((a, b) => a - b), bytes, failures };
}

const stack = await startScratchStack('bulkops_bench_reads', serviceEnv);
try {
  const clean = await importAndWait(
    stack,
    'site',
    'sites.csv',
    `${header}\n${rows(100, (i) => `Site ${i},MMP`)}\n`,
  );
  const invalid = await importAndWait(
    stack,
    'site',
    'invalid.csv',
    `${header}\n${rows(5000, (i) => `Bad!${i},MMP`)}\n`,
  );
  const duplicates = await importAndWait(
    stack,
    'site',
    'duplicates.csv',
    `${header}\n${rows(5000, () => 'Dup,MM')}\n`,
  );
  for (const { job } of [clean, invalid, duplicates]) {
    if (!['COMPLETED', 'COMPLETED_WITH_ERRORS'].includes(job.status))
      throw new Error(`set-up job ended ${job.status}: ${JSON.stringify(job.failure)}`);
  }
  const routes = [
    ['GET /v1/jobs/{id} (clean job)', `/v1/jobs/${clean.job.id}`],
    ['GET /v1/jobs/{id} (5000 distinct errors)', `/v1/jobs/${invalid.job.id}`],
    ['GET /v1/jobs/{id} (5000 duplicate keys)', `/v1/jobs/${duplicates.job.id}`],
    ['GET /v1/jobs?limit=50', '/v1/jobs?limit=50'],
    ['GET /v1/jobs/active (204)', '/v1/jobs/active'],
  ];
  console.log(
    `${CONCURRENCY} concurrent requests × ${ROUNDS} rounds per route${
      Object.keys(serviceEnv).length > 0 ? ` (${process.env.READ_ENV})` : ''
    }`,
  );
  const only = process.env.READ_ROUTE;
  for (const [label, path] of routes.filter(([label]) => !only || label.includes(only))) {
    // One warm-up round, not counted (connection pools filled, JIT).
    await Promise.all(
      Array.from({ length: CONCURRENCY }, () =>
        fetch(`${stack.url}${path}`, { headers: { authorization: `Bearer ${stack.token}` } }).then(
          (r) => r.arrayBuffer(),
        ),
      ),
    );
    const before = await stack.cpuSnapshot();
    const { latencies, bytes, failures } = await measure(
      stack,
      path,
      path.endsWith('/active') ? 204 : 200,
    );
    const used = await stack.cpuSince(before);
    const requests = latencies.length;
    const cpu = `CPU/request gateway ${(used.gateway / requests).toFixed(2)} ms, postgres ${(used.postgres / requests).toFixed(2)} ms`;
    console.log(
      `${label.padEnd(44)} p50 ${percentile(latencies, 50).toFixed(0).padStart(5)} ms  p99 ${percentile(latencies, 99).toFixed(0).padStart(5)} ms  max ${latencies.at(-1).toFixed(0).padStart(5)} ms  body ${bytes} B  ${cpu}${
        Object.keys(failures).length > 0 ? `  other answers ${JSON.stringify(failures)}` : ''
      }`,
    );
  }
  console.log('peak RSS (MB):', JSON.stringify(stack.peakRssMb()));
} finally {
  await stack.stop();
}
