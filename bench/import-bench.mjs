#!/usr/bin/env node
// Import throughput: a zip of 20 × 5000 rows (BENCH_OBJECT=team or user, default user) through
// the running services, from upload to final status, twice: once on services just started, and
// again with 20 × 5000 other rows on the same services, warm. Right after each, the time `psql \copy`
// needs to load the same rows into a plain table with the same columns, indexes and foreign keys.
// While each import runs, a probe reads GET /v1/jobs/{id} and GET /v1/jobs at about 100 requests/s.
// Run: npm run bench (builds first), or node bench/import-bench.mjs [--rows 1000000] [--replicas]
// [--no-probe]; BENCH_OBJECT=team benchmarks teams.
import { mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  benchType,
  benchZipEntries,
  createCopyTable,
  csvOf,
  FILES as DEFAULT_FILES,
  referencedIds,
  ROWS_PER_FILE,
} from './bench-rows.mjs';
import {
  buildZip,
  importAndWait,
  root,
  sampleMachineLoad,
  startScratchStack,
  timePsqlCopy,
} from './lib.mjs';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string' },
    replicas: { type: 'boolean', default: false },
    'no-probe': { type: 'boolean', default: false },
  },
});
const OBJECT = process.env.BENCH_OBJECT ?? 'user';
const FILES = args.rows
  ? Math.ceil(Number(args.rows) / ROWS_PER_FILE)
  : Number(process.env.BENCH_FILES ?? DEFAULT_FILES);
/** Ingest and worker processes: two each with --replicas. */
const REPLICAS = args.replicas ? 2 : 1;
/** Requests per second the read probe sends while the import runs. */
const PROBE_RATE = 100;
const total = FILES * ROWS_PER_FILE;
const out = join(root, 'bench', 'out');
mkdirSync(out, { recursive: true });

const spec = benchType(OBJECT);

// Service settings to try, e.g. BENCH_ENV='INGEST_CHUNK_SIZE=2500,WORKER_CONCURRENCY=3'.
const serviceEnv = Object.fromEntries(
  (process.env.BENCH_ENV ?? '')
    .split(',')
    .filter(Boolean)
    .map((pair) => pair.split('=')),
);
// The process id in the name: benchmarks of other worktrees on the same Postgres keep their own database.
const stack = await startScratchStack(
  `bulkops_bench_${OBJECT.replace(/-/g, '_')}_${process.pid}`,
  serviceEnv,
  { replicas: REPLICAS },
);

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * A kept-alive HTTP/1.1 connection that sends one GET at a time and reads its answer's status line
 * and Content-Length, nothing more: the probe shares the import's two cores, and node:http cost this
 * process about 1.2 ms of CPU per request (fetch 1.5-2.5 ms), which the import then lacked.
 */
class ProbeConnection {
  constructor(hostname, port) {
    this.socket = connect({ host: hostname, port });
    this.socket.setNoDelay(true);
    this.received = [];
    this.pending = null;
    this.closed = false;
    this.socket.on('data', (data) => this.receive(data));
    this.socket.on('error', (error) => this.settle(error));
    // The gateway closes a connection idle past its keep-alive timeout: it is not used again.
    this.socket.on('close', () => {
      this.closed = true;
      this.settle(new Error('connection closed'));
    });
  }

  /** Sends `request` (a whole GET); resolves to the answer's status code once its body is in. */
  get(request) {
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.socket.write(request);
    });
  }

  receive(data) {
    this.received.push(data);
    const answer = Buffer.concat(this.received);
    this.received = [answer];
    const headerEnd = answer.indexOf('\r\n\r\n');
    if (headerEnd < 0) return;
    const head = answer.toString('latin1', 0, headerEnd);
    const length = /\r\ncontent-length: *(\d+)/i.exec(head);
    if (!length) return this.settle(new Error('answer without Content-Length'));
    if (answer.length < headerEnd + 4 + Number(length[1])) return;
    this.received = [];
    this.settle(null, Number(head.slice(9, 12)));
  }

  settle(error, status) {
    const pending = this.pending;
    this.pending = null;
    if (!pending) return;
    if (error) pending.reject(error);
    else pending.resolve(status);
  }

  close() {
    this.socket.destroy();
  }
}

/**
 * Reads the job routes at PROBE_RATE requests/s (open loop: a slow answer does not slow the
 * sending) until stopped; answers the latencies by route. Requests go over kept-alive connections,
 * as a polling script's would, one at a time each, with a new connection only while all are busy.
 */
function startReadProbe(jobId) {
  const routes = { 'GET /v1/jobs/{id}': `/v1/jobs/${jobId}`, 'GET /v1/jobs': '/v1/jobs?limit=50' };
  const latencies = Object.fromEntries(Object.keys(routes).map((r) => [r, []]));
  const failures = {};
  const pending = new Set();
  const { hostname, port } = new URL(stack.url);
  const requests = Object.fromEntries(
    Object.entries(routes).map(([label, path]) => [
      label,
      Buffer.from(
        `GET ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nAuthorization: Bearer ${stack.token}\r\n\r\n`,
      ),
    ]),
  );
  const idle = [];
  const all = [];
  const get = async (request) => {
    let connection = idle.pop();
    while (connection?.closed) connection = idle.pop();
    if (!connection) {
      connection = new ProbeConnection(hostname, port);
      all.push(connection);
    }
    const status = await connection.get(request);
    idle.push(connection);
    return status;
  };
  let sent = 0;
  const timer = setInterval(() => {
    const label = Object.keys(routes)[sent % 2];
    sent += 1;
    const started = performance.now();
    const request = get(requests[label])
      .then((status) => {
        if (status === 200) latencies[label].push(performance.now() - started);
        else failures[status] = (failures[status] ?? 0) + 1;
      })
      .catch(() => (failures.error = (failures.error ?? 0) + 1))
      .finally(() => pending.delete(request));
    pending.add(request);
  }, 1000 / PROBE_RATE);
  return async () => {
    clearInterval(timer);
    await Promise.all(pending);
    all.forEach((connection) => connection.close());
    return { latencies, failures };
  };
}
try {
  // Set-up (not timed): everything the rows reference.
  for (const [object, name, content] of spec.setup) {
    const { job } = await importAndWait(stack, object, name, content);
    if (job.status !== 'COMPLETED') throw new Error(`set-up ${object} ended ${job.status}`);
  }

  const rate = (rows, milliseconds) => Math.round(rows / (milliseconds / 1000));
  const seconds = (milliseconds) => `${(milliseconds / 1000).toFixed(2)} s`;

  /**
   * One timed import of `total` new rows (files `firstFile` on, so each import's keys are its own),
   * with the probe reading the job routes meanwhile; answers what the report prints of it.
   */
  async function timedImport(firstFile) {
    const zip = await buildZip(benchZipEntries(spec, OBJECT, FILES, firstFile));
    const cpuBefore = await stack.cpuSnapshot();
    const benchCpuBefore = process.cpuUsage();
    const stepsBefore = await stack.counterBy('worker', 'bulkops_apply_step_seconds_total', 'step');
    let stopProbe = null;
    const load = sampleMachineLoad();
    const { job, ms } = await importAndWait(stack, OBJECT, `${OBJECT}s.zip`, zip, (jobId) => {
      if (!args['no-probe']) stopProbe = startReadProbe(jobId);
    });
    load.stop();
    const probe = await stopProbe?.();
    const benchCpu = process.cpuUsage(benchCpuBefore);
    const cpuUsed = await stack.cpuSince(cpuBefore);
    const steps = await stack.counterBy('worker', 'bulkops_apply_step_seconds_total', 'step');
    if (job.status !== 'COMPLETED' || job.counts.created !== total)
      throw new Error(`unexpected outcome: ${job.status} ${JSON.stringify(job.counts)}`);
    const [phases] = await stack.dataSource.query(
      `SELECT extract(epoch FROM j.started_at - j.submitted_at) * 1000 AS queued_ms,
              extract(epoch FROM j.ingested_at - j.started_at) * 1000 AS ingest_ms,
              extract(epoch FROM j.finished_at - j.ingested_at) * 1000 AS apply_ms,
              extract(epoch FROM min(l.applied_at) - j.ingested_at) * 1000 AS first_apply_ms,
              extract(epoch FROM j.started_at) * 1000 AS started_at_ms,
              extract(epoch FROM j.ingested_at) * 1000 AS ingested_at_ms,
              extract(epoch FROM j.finished_at) * 1000 AS finished_at_ms
         FROM job j LEFT JOIN chunk_ledger l ON l.job_id = j.id WHERE j.id = $1 GROUP BY j.id`,
      [job.id],
    );
    const cpu = Object.entries(cpuUsed).map(([service, used]) => `${service} ${seconds(used)}`);
    // This process too: it follows the job and, with the probe, sends the reads, on the same cores.
    cpu.push(`benchmark ${seconds((benchCpu.user + benchCpu.system) / 1000)}`);
    const stepSums = Object.entries(steps).map(
      ([step, sum]) => `${step} ${(sum - (stepsBefore[step] ?? 0)).toFixed(2)}`,
    );
    return { ms, phases, load, cpu, stepSums, probe };
  }

  function report(title, { ms, phases, load, cpu, stepSums, probe }, copyMs) {
    console.log(`${title}:`);
    console.log(`  end to end      ${seconds(ms)}  = ${rate(total, ms)} rows/s`);
    console.log(`  queued          ${seconds(phases.queued_ms)}  (upload stored → ingest starts)`);
    console.log(`  ingest phase    ${seconds(phases.ingest_ms)}  (read, check, stage)`);
    console.log(
      `  apply phase     ${seconds(phases.apply_ms)}  (resolve references, write, ledger; first chunk applied after ${seconds(phases.first_apply_ms)})`,
    );
    // Cores busy with anything (the probe and this script included): what a phase leaves idle.
    const busy = (from, to) => load.busyCores(Number(from), Number(to))?.toFixed(2) ?? '?';
    console.log(
      `  cores busy      ingest phase ${busy(phases.started_at_ms, phases.ingested_at_ms)}, apply phase ${busy(phases.ingested_at_ms, phases.finished_at_ms)} of ${load.cores} (the machine, every 100 ms)`,
    );
    console.log(`  CPU used        ${cpu.join(', ')}`);
    // Wall time summed over chunks: chunks applied side by side overlap, so the sum exceeds the phase.
    console.log(`  apply steps     ${stepSums.join(', ')} (s, summed over chunks)`);
    if (probe) {
      for (const [route, latencies] of Object.entries(probe.latencies)) {
        const sorted = latencies.sort((a, b) => a - b);
        console.log(
          `  read probe ${route.padEnd(18)} ${sorted.length} answers  p50 ${percentile(sorted, 50)?.toFixed(1)} ms  p99 ${percentile(sorted, 99)?.toFixed(1)} ms  max ${sorted.at(-1)?.toFixed(1)} ms`,
        );
      }
      if (Object.keys(probe.failures).length > 0)
        console.log(`  read probe failures: ${JSON.stringify(probe.failures)}`);
    }
    console.log(
      `  psql \\copy      ${seconds(copyMs)}  = ${rate(total, copyMs)} rows/s (right after this import)`,
    );
    console.log(
      `  the import runs at ${((copyMs / ms) * 100).toFixed(0)}% of the \\copy rate (target: at least 75%)`,
    );
  }

  // The same rows as psql \copy loads them: a plain table with the object table's columns, indexes
  // and foreign keys, made afresh for each \copy.
  const ids = await referencedIds(stack.dataSource, stack.orgId);
  const csvPath = join(out, `${OBJECT}-copy.csv`);
  writeFileSync(
    csvPath,
    `${csvOf(Array.from({ length: total }, (_, n) => spec.copyRow(n, ids)))}\n`,
  );
  const copyTable = `bench_${spec.table}`;
  async function timedCopy() {
    await createCopyTable(stack.dataSource, spec, copyTable);
    const ms = timePsqlCopy(stack.databaseUrl, copyTable, spec.copyColumns, csvPath);
    await stack.dataSource.query(`DROP TABLE ${copyTable}`);
    return ms;
  }

  // The first import meets services that have just started; the second, the same services once
  // they have run one (code compiled and optimized, heaps sized, pools connected), into a table
  // that already holds the first import's rows: how a running deployment imports. Each is compared
  // with a \copy timed right after it: this machine's speed drifts by a fifth and more from one
  // minute to the next, and two timings seconds apart share the drift.
  const first = await timedImport(0);
  const firstCopyMs = await timedCopy();
  const second = await timedImport(FILES);
  const secondCopyMs = await timedCopy();
  const peak = stack.peakRssMb();

  console.log(
    `import of ${total} ${OBJECT} rows (${FILES} files of ${ROWS_PER_FILE} in one zip) through the services, ${REPLICAS} ingest + ${REPLICAS} worker${process.env.BENCH_ENV ? ` (${process.env.BENCH_ENV})` : ''}${process.env.BENCH_NODE_OPTIONS ? ` NODE_OPTIONS='${process.env.BENCH_NODE_OPTIONS}'` : ''}, twice,`,
  );
  console.log(
    `each followed by psql \\copy of the same rows into a plain table with the same indexes and foreign keys:`,
  );
  report('first import, services just started', first, firstCopyMs);
  report('second import, services warm', second, secondCopyMs);
  console.log(
    `peak RSS (MB) over both: ${Object.entries(peak)
      .map(([s, mb]) => `${s} ${mb}`)
      .join(', ')}`,
  );
} finally {
  await stack.stop();
}
