#!/usr/bin/env node
// The worker's CPU for applying chunks, without the rest of the stack and without other processes
// sharing the cores: the benchmark's user rows (BENCH_OBJECT, as import-bench.mjs) are staged as
// 20 chunks of 5000 once, then applied `--rounds` times (default 5) by the worker's own code, one
// chunk at a time, each in a transaction that is rolled back, so every round creates the same
// objects over the same tables. Prints, per 100,000 rows, the CPU of the worker's code (this
// process) and of its Postgres backend, and the wall time of each apply step. A steadier measure
// than an import's end to end for changes to the worker. Run after a build: node bench/apply-cpu.mjs.
import { Readable } from 'node:stream';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { benchFileCsv, benchType, FILES, per100k, ROWS_PER_FILE } from './bench-rows.mjs';
import { cpuMs, createScratchDatabase, peakRss, root } from './lib.mjs';

const require = createRequire(join(root, 'package.json'));
require('reflect-metadata');
const database = require('@bulkops/database');
const { getObject, readObjectCsvBatches } = require('@bulkops/objects');
const { readCsvBatches } = require('@bulkops/csv');
const { LocalStorage } = require('@bulkops/storage');
const { createOrganization, createJob } = require(join(root, 'libs/testing/dist/factories.js'));
const { ChunkApplication } = require(join(root, 'services/worker/dist/apply/chunk-application.js'));
const { ObjectBlobsService } = require(
  join(root, 'services/worker/dist/apply/object-blobs.service.js'),
);
const { StepClock } = require(join(root, 'services/worker/dist/apply/step-clock.js'));

const { values: args } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
const ROUNDS = Number(args.rounds);
const OBJECT = process.env.BENCH_OBJECT ?? 'user';
const spec = benchType(OBJECT);

/** A CSV's rows as ingest stages them: cells in declaration order, line numbers. */
async function stagedRowsOf(object, name, csv) {
  const rows = [];
  const records = readCsvBatches(Readable.from([Buffer.from(csv)]), {
    fileName: name,
    maxBytes: 10 * 1024 * 1024,
  });
  const file = { name, maxRows: ROWS_PER_FILE, splitAdvice: 'split it' };
  for await (const batch of readObjectCsvBatches(getObject(object), records, file)) {
    for (const row of batch) {
      if (row.problems.length > 0)
        throw new Error(`${name} row ${row.line}: ${row.problems[0].message}`);
      rows.push({ line: row.line, cells: row.cells });
    }
  }
  return rows;
}

const scratch = await createScratchDatabase(`bulkops_bench_apply_${process.pid}`);
const { dataSource } = scratch;
const objects = new database.ObjectTableRepository();
const services = {
  objects,
  blobs: new ObjectBlobsService(dataSource, objects, new LocalStorage(join(root, 'var', 'bench'))),
  changes: new database.JobChangeRepository(dataSource),
};
const chunks = new database.ChunkRepository(dataSource);

/** Applies one chunk's rows in a transaction; commits it (set-up) or rolls it back (the rounds). */
async function apply(orgId, jobId, object, load, { commit, clock }) {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  await runner.startTransaction();
  try {
    const [{ pid }] = await runner.query('SELECT pg_backend_pid() AS pid');
    const backendBefore = cpuMs(pid);
    const scope = { manager: runner.manager, orgId, jobId, declaration: getObject(object) };
    const chunk = await load(runner.manager);
    clock.lap('lock');
    const result = await new ChunkApplication(scope, services).run(chunk, false, clock);
    if (result.rejected.length > 0) {
      throw new Error(`${object}: ${result.rejected[0].problems[0].message}`);
    }
    const backend = cpuMs(pid) - backendBefore;
    if (commit) await runner.commitTransaction();
    else await runner.rollbackTransaction();
    return backend;
  } finally {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    await runner.release();
  }
}

try {
  const org = await createOrganization(dataSource);
  const untimed = new StepClock(() => {});
  for (const [object, name, csv] of spec.setup) {
    const rows = await stagedRowsOf(object, name, csv);
    const chunk = { seq: 0, fileOrdinal: 0, rows, rejections: null };
    await apply(org.orgId, crypto.randomUUID(), object, async () => chunk, {
      commit: true,
      clock: untimed,
    });
  }

  const job = await createJob(dataSource, org.orgId, { object: OBJECT });
  for (let f = 0; f < FILES; f += 1) {
    const csv = benchFileCsv(spec, f, ROWS_PER_FILE);
    const rows = await stagedRowsOf(OBJECT, `${OBJECT}s-${f + 1}.csv`, csv);
    await chunks.stage(org.orgId, {
      jobId: job.id,
      seq: f,
      fileOrdinal: f,
      phase: 0,
      rows: database.serializeRows(rows),
      keys: rows.map(() => null),
    });
  }

  const total = FILES * ROWS_PER_FILE;
  console.log(
    `${OBJECT}: ${FILES} chunks of ${ROWS_PER_FILE} rows applied one at a time and rolled back, ${ROUNDS} rounds (+1 to warm up); per 100,000 rows:`,
  );
  for (let round = 0; round <= ROUNDS; round += 1) {
    const steps = {};
    const clock = new StepClock((step, seconds) => (steps[step] = (steps[step] ?? 0) + seconds));
    const cpu = process.cpuUsage();
    const started = performance.now();
    let backend = 0;
    for (let seq = 0; seq < FILES; seq += 1) {
      const load = (manager) => chunks.lockForApply(manager, org.orgId, job.id, seq);
      backend += await apply(org.orgId, job.id, OBJECT, load, { commit: false, clock });
    }
    const used = process.cpuUsage(cpu);
    const worker = (used.user + used.system) / 1000;
    const wall = performance.now() - started;
    const stepText = Object.entries(steps)
      .map(([step, seconds]) => `${step} ${per100k(seconds * 1000, total).toFixed(2)}`)
      .join(', ');
    console.log(
      `  ${round === 0 ? 'warm-up' : `round ${round}`}: worker CPU ${per100k(worker, total).toFixed(2)} s, Postgres CPU ${per100k(backend, total).toFixed(2)} s, wall ${per100k(wall, total).toFixed(2)} s; steps ${stepText}`,
    );
  }
  console.log(`  peak RSS of the worker's code with its rows: ${peakRss(process.pid)} MB`);
} finally {
  await scratch.drop();
}
