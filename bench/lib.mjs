// Shared pieces of the benchmarks: a scratch stack of the built services, HTTP helpers, psql timing.
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
require('reflect-metadata');
const {
  ensureDatabase,
  runMigrations,
  createDataSource,
  ProvisioningRepository,
  generateApiToken,
  hashApiToken,
} = require('@bulkops/database');
const { followJobEvents } = require(join(root, 'services/cli/dist/api/job-events.js'));
const { buildZip } = require(join(root, 'libs/testing/dist/zip.js'));
const { deleteRedisPrefix } = require(join(root, 'libs/testing/dist/redis-prefix.js'));
const { SERVICE_NODE_OPTIONS: LAUNCHER_NODE_OPTIONS } = require(
  join(root, 'libs/testing/dist/stack.js'),
);
export { buildZip };

const admin = process.env.BENCH_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** What every launcher gives a service (tools/start.mjs); BENCH_NODE_OPTIONS tries another. */
const SERVICE_NODE_OPTIONS = process.env.BENCH_NODE_OPTIONS ?? LAUNCHER_NODE_OPTIONS;

async function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** CPU time (user + system) a process has used so far, in ms; 0 once it has ended. */
export function cpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks of 10 ms
  } catch {
    return 0;
  }
}

/** Busy and total clock ticks of the whole machine so far (/proc/stat), or null off Linux. */
function machineTicks() {
  try {
    const ticks = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1);
    const [user, nice, system, idle, iowait, irq, softirq, steal] = ticks.map(Number);
    const busy = user + nice + system + irq + softirq + steal;
    return { busy, total: busy + idle + iowait };
  } catch {
    return null;
  }
}

/**
 * Samples how busy the machine's cores are, every 100 ms, until `stop()`; `busyCores(from, to)` then
 * answers the mean number of busy cores between two epoch times (null without /proc/stat, or for a
 * span with no sample). Shows where a run leaves cores idle, which CPU time per process cannot.
 */
export function sampleMachineLoad() {
  const cores = availableParallelism();
  const samples = [];
  let last = machineTicks();
  const timer = setInterval(() => {
    const now = machineTicks();
    if (!now || !last || now.total === last.total) return;
    samples.push({
      at: Date.now(),
      busy: ((now.busy - last.busy) / (now.total - last.total)) * cores,
    });
    last = now;
  }, 100);
  return {
    cores,
    stop: () => clearInterval(timer),
    busyCores(from, to) {
      const inside = samples.filter((s) => s.at > from && s.at <= to + 100);
      if (inside.length === 0) return null;
      return inside.reduce((sum, s) => sum + s.busy, 0) / inside.length;
    },
  };
}

/** Peak resident memory (VmHWM) of a process so far, in MB. */
export function peakRss(pid) {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmHWM'));
  return Math.round(Number(line.split(/\s+/)[1]) / 1024);
}

/**
 * A fresh, migrated database named `name` (dropped first if a run left it) with a small pool:
 * answers its URL, the pool and `drop()`, which removes it unless BENCH_KEEP_DATABASE=1 (kept for
 * EXPLAIN and inspection after the run).
 */
export async function createScratchDatabase(name) {
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const dropDatabase = () =>
    execFileSync('psql', [admin, '-q', '-c', `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, PGOPTIONS: '-c client_min_messages=warning' },
    });
  dropDatabase();
  await ensureDatabase(databaseUrl);
  await runMigrations({ databaseUrl, databasePoolSize: 1 });
  // BENCH_LOG_STATEMENTS=1 logs every statement's duration (Postgres server log) for profiling.
  if (process.env.BENCH_LOG_STATEMENTS)
    execFileSync('psql', [
      admin,
      '-qc',
      `ALTER DATABASE "${name}" SET log_min_duration_statement = 0`,
    ]);
  const dataSource = await createDataSource(
    { databaseUrl, databasePoolSize: 2 },
    'bulkops-bench',
  ).initialize();
  return {
    databaseUrl,
    dataSource,
    async drop() {
      await dataSource.destroy();
      if (!process.env.BENCH_KEEP_DATABASE) dropDatabase();
    },
  };
}

/**
 * Starts gateway, ingest, worker and status on a fresh database; answers URL, token and helpers.
 * `replicas` ingest and worker processes run side by side (gateway and status stay single).
 */
export async function startScratchStack(name, extraEnv = {}, { replicas = 1 } = {}) {
  const database = await createScratchDatabase(name);
  const { databaseUrl, dataSource } = database;
  const token = generateApiToken();
  const org = await new ProvisioningRepository(dataSource).createOrganization({
    name: 'Bench',
    adminName: 'Bench',
    adminEmail: 'bench@example.com',
    role: 'admin',
    tokenHash: hashApiToken(token),
  });
  const queuePrefix = `bench-${name}`;
  const storageDir = join(root, 'var', 'bench', name);
  const env = {
    PATH: process.env.PATH,
    // The heap cap every launcher gives a service (tools/start.mjs).
    NODE_OPTIONS: SERVICE_NODE_OPTIONS,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: queuePrefix,
    STORAGE_DIR: storageDir,
    LOG_LEVEL: 'warn',
    ...extraEnv,
  };
  /** Every process, labelled `ingest` or `ingest#2` for a second replica. */
  const processes = [];
  for (const service of ['gateway', 'ingest', 'worker', 'status']) {
    const count = ['ingest', 'worker'].includes(service) ? replicas : 1;
    for (let replica = 1; replica <= count; replica += 1) {
      const port = await freePort();
      // BENCH_PROFILE=worker,ingest writes V8 CPU profiles of those services to bench/out/profiles.
      const profile = (process.env.BENCH_PROFILE ?? '').split(',').includes(service)
        ? ['--cpu-prof', `--cpu-prof-dir=${join(root, 'bench', 'out', 'profiles')}`]
        : [];
      const child = spawn(
        process.execPath,
        [...profile, join(root, 'services', service, 'dist', 'main.js')],
        { env: { ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit'] },
      );
      const label = replica === 1 ? service : `${service}#${replica}`;
      processes.push({ service, label, port, child });
    }
  }
  /** Stops every process and removes what the stack made (its database and files unless BENCH_KEEP_DATABASE). */
  async function stop() {
    const exits = processes.map(
      ({ child }) =>
        new Promise((resolve) =>
          child.exitCode !== null || child.signalCode !== null
            ? resolve()
            : child.once('exit', resolve),
        ),
    );
    for (const { child } of processes) child.kill('SIGTERM');
    await Promise.all(exits);
    await deleteRedisPrefix(redisUrl, queuePrefix);
    if (!process.env.BENCH_KEEP_DATABASE) await rm(storageDir, { recursive: true, force: true });
    await database.drop();
  }
  try {
    for (const { label, port, child } of processes) {
      for (let i = 0; ; i += 1) {
        try {
          if ((await fetch(`http://127.0.0.1:${port}/health/ready`)).ok) break;
        } catch {}
        if (i > 300 || child.exitCode !== null) throw new Error(`${label} did not start`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const services = Object.fromEntries(
    processes.filter((p) => !p.label.includes('#')).map((p) => [p.service, p]),
  );
  return {
    databaseUrl,
    dataSource,
    orgId: org.orgId,
    token,
    services,
    url: `http://127.0.0.1:${services.gateway.port}`,
    /** Peak resident memory (VmHWM) of each service process so far, in MB. */
    peakRssMb() {
      return Object.fromEntries(processes.map(({ label, child }) => [label, peakRss(child.pid)]));
    },
    /**
     * CPU used so far, in ms: by each service (its replicas summed) and by each Postgres backend
     * serving the scratch database.
     */
    async cpuSnapshot() {
      const backends = await dataSource.query(
        `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
      );
      const services = {};
      for (const { service, child } of processes)
        services[service] = (services[service] ?? 0) + cpuMs(child.pid);
      return {
        services,
        backends: Object.fromEntries(backends.map(({ pid }) => [pid, cpuMs(pid)])),
      };
    },
    /**
     * CPU used since `snapshot`, in ms, by Postgres and by each service. Postgres is counted per
     * backend (one the pool opened meanwhile counts whole, one that closed meanwhile is missed): the
     * difference of two sums went wrong when a pool replaced connections between the snapshots.
     */
    async cpuSince(snapshot) {
      const now = await this.cpuSnapshot();
      const used = { postgres: 0 };
      for (const [pid, ms] of Object.entries(now.backends))
        used.postgres += ms - (snapshot.backends[pid] ?? 0);
      for (const [service, ms] of Object.entries(now.services))
        used[service] = ms - snapshot.services[service];
      return used;
    },
    /**
     * A counter of the services' /metrics summed over their replicas, by the value of one label
     * (e.g. the worker's seconds per apply step).
     */
    async counterBy(service, metric, label) {
      const sums = {};
      const series = new RegExp(`^${metric}\\{[^}]*${label}="([^"]+)"[^}]*\\} (\\S+)$`);
      for (const { port } of processes.filter((p) => p.service === service)) {
        const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        for (const line of text.split('\n')) {
          const match = series.exec(line);
          if (match) sums[match[1]] = (sums[match[1]] ?? 0) + Number(match[2]);
        }
      }
      return sums;
    },
    stop,
  };
}

/**
 * Submits an upload and waits for the job to end; answers the job and the wall time in ms.
 * `accepted` is told the job id as soon as the upload is accepted. It waits on the job's event
 * stream (GET /v1/jobs/{id}/events), as the dashboard and the CLI do: polling every 50 ms cost this
 * process about 0.4 s of CPU and the gateway about 0.2 s during a 100,000-row import, taken from
 * the two cores the import runs on.
 */
export async function importAndWait(stack, object, fileName, bytes, accepted = () => {}) {
  const started = performance.now();
  const form = new FormData();
  form.append('object', object);
  form.append('file', new Blob([bytes]), fileName);
  const answer = await fetch(`${stack.url}/v1/jobs`, {
    method: 'POST',
    body: form,
    headers: { authorization: `Bearer ${stack.token}` },
  });
  if (answer.status !== 202)
    throw new Error(`upload refused: ${answer.status} ${await answer.text()}`);
  const { id } = await answer.json();
  accepted(id);
  const job = await finalJob(stack, id);
  return { job, ms: performance.now() - started };
}

/**
 * The job once final, followed on its event stream by the CLI's own follower (which reopens a
 * dropped stream from the last event seen), through a client of the scratch stack.
 */
function finalJob(stack, id) {
  const client = {
    async request(method, path, body, headers = {}) {
      const answer = await fetch(`${stack.url}${path}`, {
        method,
        body,
        headers: { authorization: `Bearer ${stack.token}`, ...headers },
      });
      if (answer.status >= 400) throw new Error(`${path} answered ${answer.status}`);
      return answer;
    },
  };
  return followJobEvents(client, id, () => {});
}

/** Runs `psql \copy` of a CSV file into a table and answers the wall time in ms. */
export function timePsqlCopy(databaseUrl, table, columns, csvPath) {
  const started = performance.now();
  execFileSync('psql', [
    databaseUrl,
    '-qc',
    `\\copy ${table} (${columns.join(', ')}) FROM '${csvPath}' WITH (FORMAT csv)`,
  ]);
  return performance.now() - started;
}
