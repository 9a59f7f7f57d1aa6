#!/usr/bin/env node
// Ingest's CPU for reading one upload, without the rest of the stack: the benchmark's zip of 20 ×
// 5000 user rows (BENCH_OBJECT, as import-bench.mjs) is stored once, then read `--rounds` times
// (default 5) by ingest's own code (the zip's entries, each file's rows checked and staged as chunks
// in Postgres, as readCsvFiles does), each round's chunks deleted before the next. Prints, per
// 100,000 rows, this process' CPU and the wall time of each round: the serial part of an import
// that comes before any row is applied. Run after a build: node bench/ingest-cpu.mjs.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { rm } from 'node:fs/promises';
import { benchType, benchZipEntries, FILES, per100k, ROWS_PER_FILE } from './bench-rows.mjs';
import { buildZip, createScratchDatabase, peakRss, root } from './lib.mjs';

const require = createRequire(join(root, 'package.json'));
require('reflect-metadata');
const { ChunkRepository } = require('@bulkops/database');
const { getObject } = require('@bulkops/objects');
const { LocalStorage } = require('@bulkops/storage');
const { createOrganization, createJob } = require(join(root, 'libs/testing/dist/factories.js'));
const ingest = (file) => require(join(root, 'services/ingest/dist/ingest', file));
const { ChunkStager } = ingest('chunk-stager.js');
const { stageCsvFile } = ingest('stage-csv-file.js');
const { csvFilesOf } = ingest('upload-files.js');
const { IngestEnv } = require(join(root, 'services/ingest/dist/ingest.env.js'));

const { values: args } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
const ROUNDS = Number(args.rounds);
const OBJECT = process.env.BENCH_OBJECT ?? 'user';
const spec = benchType(OBJECT);
const UPLOAD = 'bench/upload.zip';

const scratch = await createScratchDatabase(`bulkops_bench_ingest_${process.pid}`);
const storageDir = join(root, 'var', `bench-ingest-${process.pid}`);
const storage = new LocalStorage(storageDir);
try {
  const org = await createOrganization(scratch.dataSource);
  const job = await createJob(scratch.dataSource, org.orgId, { object: OBJECT });
  const zip = await buildZip(benchZipEntries(spec, OBJECT, FILES));
  await storage.put(UPLOAD, Readable.from([zip]));
  const chunks = new ChunkRepository(scratch.dataSource);
  const declaration = getObject(OBJECT);
  // The service's defaults: chunk size, per-file limits, zip limits.
  const env = new IngestEnv();
  const total = FILES * ROWS_PER_FILE;
  console.log(
    `${OBJECT}: a zip of ${FILES} files of ${ROWS_PER_FILE} rows read and staged by ingest's code, ${ROUNDS} rounds (+1 to warm up); per 100,000 rows:`,
  );
  for (let round = 0; round <= ROUNDS; round += 1) {
    await chunks.deleteForJob(org.orgId, job.id);
    const cpu = process.cpuUsage();
    const started = performance.now();
    const stager = new ChunkStager(chunks, job.id, org.orgId, env.ingestChunkSize);
    const entries = await csvFilesOf(storage, UPLOAD, 'upload.zip', declaration, env);
    for (const [ordinal, file] of entries.entries()) {
      stager.startFile(ordinal);
      await stageCsvFile(file, declaration, stager, env, async () => {});
    }
    await stager.settled();
    const used = process.cpuUsage(cpu);
    const wall = performance.now() - started;
    console.log(
      `  ${round === 0 ? 'warm-up' : `round ${round}`}: ingest CPU ${per100k((used.user + used.system) / 1000, total).toFixed(2)} s, wall ${per100k(wall, total).toFixed(2)} s, ${stager.chunkCount} chunks`,
    );
  }
  console.log(`  peak RSS of ingest's code: ${peakRss(process.pid)} MB`);
} finally {
  await scratch.drop();
  await rm(storageDir, { recursive: true, force: true });
}
