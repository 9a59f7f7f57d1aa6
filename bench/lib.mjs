// Shared pieces of the benchmarks: a scratch stack of the built services, HTTP helpers, psql timing.
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
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
const { buildZip } = require(join(root, 'libs/testing/dist/zip.js'));
export { buildZip };

const admin = process.env.BENCH_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts gateway, ingest, worker and status on a fresh database; answers URL, token and helpers. */
export async function startScratchStack(name, extraEnv = {}) {
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  execFileSync('psql', [admin, '-q', '-c', `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, PGOPTIONS: '-c client_min_messages=warning' },
  });
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
  const token = generateApiToken();
  const org = await new ProvisioningRepository(dataSource).createOrganization({
    name: 'Bench',
    adminName: 'Bench',
    adminEmail: 'bench@example.com',
    role: 'admin',
    tokenHash: hashApiToken(token),
  });
  const env = {
    PATH: process.env.PATH,
    // The heap cap every launcher gives a service (tools/start.mjs).
    NODE_OPTIONS: '--max-old-space-size=160',
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: `bench-${name}`,
    STORAGE_DIR: join(root, 'var', 'bench', name),
    LOG_LEVEL: 'warn',
    ...extraEnv,
  };
  const services = {};
  for (const service of ['gateway', 'ingest', 'worker', 'status']) {
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
    services[service] = { port, child };
  }
  for (const [service, { port }] of Object.entries(services)) {
    for (let i = 0; ; i += 1) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/health/ready`)).ok) break;
      } catch {}
      if (i > 300) throw new Error(`${service} did not start`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    databaseUrl,
    dataSource,
    orgId: org.orgId,
    token,
    services,
    url: `http://127.0.0.1:${services.gateway.port}`,
    /** Peak resident memory (VmHWM) of each service process so far, in MB. */
    peakRssMb() {
      return Object.fromEntries(
        Object.entries(services).map(([s, { child }]) => {
          const line = readFileSync(`/proc/${child.pid}/status`, 'utf8')
            .split('\n')
            .find((l) => l.startsWith('VmHWM'));
          return [s, Math.round(Number(line.split(/\s+/)[1]) / 1024)];
        }),
      );
    },
    async stop() {
      await dataSource.destroy();
      for (const { child } of Object.values(services)) child.kill('SIGTERM');
    },
  };
}

/** Submits an upload and waits for the job to end; answers the job and the wall time in ms. */
export async function importAndWait(stack, object, fileName, bytes) {
  const started = performance.now();
  const form = new FormData();
  form.append('object', object);
  form.append('file', new Blob([bytes]), fileName);
  const accepted = await fetch(`${stack.url}/v1/jobs`, {
    method: 'POST',
    body: form,
    headers: { authorization: `Bearer ${stack.token}` },
  });
  if (accepted.status !== 202)
    throw new Error(`upload refused: ${accepted.status} ${await accepted.text()}`);
  const { id } = await accepted.json();
  for (;;) {
    const job = await (
      await fetch(`${stack.url}/v1/jobs/${id}`, {
        headers: { authorization: `Bearer ${stack.token}` },
      })
    ).json();
    if (!['NEW', 'IN_PROGRESS'].includes(job.status))
      return { job, ms: performance.now() - started };
    await new Promise((r) => setTimeout(r, 50));
  }
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
