#!/usr/bin/env node
// Starts the whole bulkops system on this machine: migrates the database (creating it if needed),
// provisions a demo organization on first start, runs the four services with their logs merged
// into this terminal, waits until every /health/ready is green, and prints how to call the API.
// Ctrl-C stops everything. Configuration is the usual environment (.env.example lists it).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
require('reflect-metadata');
const { DatabaseEnv, RedisEnv, loadEnv, processEnv } = require('@bulkops/config');
const {
  ensureDatabase,
  runMigrations,
  createDataSource,
  ProvisioningRepository,
  generateApiToken,
  hashApiToken,
} = require('@bulkops/database');
const { checkRedis, checkPostgres, PreflightError } = require('@bulkops/observability');

const SERVICES = [
  { name: 'gateway', port: 3000 },
  { name: 'ingest', port: 3001 },
  { name: 'worker', port: 3002 },
  { name: 'status', port: 3003 },
];
const COLORS = { gateway: 36, ingest: 35, worker: 33, status: 32 };
const demoTokenFile = join(root, 'var', 'demo-token.json');

function fail(message) {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

async function prepareDatabase() {
  const env = loadEnv([DatabaseEnv, RedisEnv], processEnv());
  try {
    await checkRedis(env.get(RedisEnv), 'start');
    const created = await ensureDatabase(env.get(DatabaseEnv).databaseUrl).catch(async () => {
      await checkPostgres(env.get(DatabaseEnv), 'start'); // explains the connection problem
      return false;
    });
    if (created) console.log('start: created the database');
    const applied = await runMigrations(env.get(DatabaseEnv));
    console.log(
      applied.length
        ? `start: applied migrations ${applied.join(', ')}`
        : 'start: database schema is up to date',
    );
  } catch (error) {
    fail(error instanceof PreflightError ? error.message : `start: ${error.message}`);
  }
  return env.get(DatabaseEnv);
}

async function demoOrganization(databaseEnv) {
  const dataSource = await createDataSource(
    { ...databaseEnv, databasePoolSize: 1 },
    'bulkops-start',
  ).initialize();
  try {
    const provisioning = new ProvisioningRepository(dataSource);
    const first = await provisioning.firstOrganization();
    if (!first) {
      const token = generateApiToken();
      const issued = await provisioning.createOrganization({
        name: 'Demo Contact Center',
        adminName: 'Demo Admin',
        adminEmail: 'admin@demo.example',
        role: 'admin',
        tokenHash: hashApiToken(token),
      });
      mkdirSync(dirname(demoTokenFile), { recursive: true });
      // A convenience for this machine only: the demo token is kept in var/ (git-ignored) so a
      // restart can show it again. Real tokens are shown once and stored only as hashes.
      writeFileSync(demoTokenFile, JSON.stringify({ ...issued, token }, null, 2), { mode: 0o600 });
      return { ...issued, token, fresh: true };
    }
    if (existsSync(demoTokenFile))
      return { ...JSON.parse(readFileSync(demoTokenFile, 'utf8')), fresh: false };
    return { orgId: first.id, token: null, fresh: false };
  } finally {
    await dataSource.destroy();
  }
}

// Nest's own start-up chatter (every module and route it wires) drowns what matters here.
const FRAMEWORK_CONTEXTS = new Set([
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestFactory',
  'NestApplication',
]);

function printLine(service, line) {
  let text = line;
  try {
    const record = JSON.parse(line);
    if (FRAMEWORK_CONTEXTS.has(record.context)) return;
    const level =
      { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' }[
        record.level
      ] ?? record.level;
    const extra = record.err ? ` ${record.err.message ?? ''}` : '';
    text = `${level} ${record.msg ?? ''}${record.jobId ? ` job=${record.jobId}` : ''}${extra}`;
  } catch {
    // not JSON: print as is
  }
  const color = process.stdout.isTTY ? `\x1b[${COLORS[service]}m` : '';
  const reset = process.stdout.isTTY ? '\x1b[0m' : '';
  process.stdout.write(`${color}[${service}]${reset} ${text}\n`);
}

// V8 grows its heap lazily up to gigabytes whatever a service holds; capped, a service collects
// garbage sooner and stays within its memory budget (256 MB of RSS, issue 13). Every launcher of
// the services (this script, the test stack, the benchmarks, the Docker image) sets the same cap
// unless NODE_OPTIONS says otherwise. With the old generation allowed to grow to three times what a
// full collection kept (runService), 16 MB semi-spaces and 32 MB more old space did better than
// 32 MB semi-spaces for the same budget: a million users in 49.72 / 51.92 s against 53.56 /
// 54.88 s, the worker's CPU 27.9 / 28.0 s against 33.3 / 34.7 s, peak RSS alike (bench/, issue 9).
const NODE_OPTIONS = '--max-old-space-size=192 --max-semi-space-size=16';

function startServices() {
  return SERVICES.map(({ name, port }) => {
    const child = spawn(process.execPath, [join(root, 'services', name, 'dist', 'main.js')], {
      env: { NODE_OPTIONS, ...process.env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [child.stdout, child.stderr]) {
      let buffer = '';
      stream.on('data', (data) => {
        buffer += data;
        const lines = buffer.split('\n');
        buffer = lines.pop();
        lines.filter(Boolean).forEach((line) => printLine(name, line));
      });
    }
    return { name, port, child };
  });
}

async function waitReady(services) {
  const deadline = Date.now() + 60_000;
  for (const { name, port, child } of services) {
    for (;;) {
      if (child.exitCode !== null)
        fail(`start: ${name} stopped during start-up (see its lines above)`);
      try {
        const response = await fetch(`http://localhost:${port}/health/ready`);
        if (response.ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) fail(`start: ${name} did not become ready within 60 s`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

const databaseEnv = await prepareDatabase();
const demo = await demoOrganization(databaseEnv);
const services = startServices();
let stopping = false;
const stop = (code) => {
  if (stopping) return;
  stopping = true;
  services.forEach(({ child }) => child.exitCode === null && child.kill('SIGTERM'));
  setTimeout(() => process.exit(code), 5000).unref();
  Promise.all(
    services.map(({ child }) =>
      child.exitCode !== null ? null : new Promise((r) => child.on('exit', r)),
    ),
  ).then(() => process.exit(code));
};
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
services.forEach(({ name, child }) =>
  child.on('exit', (code) => {
    if (!stopping) {
      process.stderr.write(`start: ${name} exited (code ${code}); stopping the others\n`);
      stop(1);
    }
  }),
);
await waitReady(services);
const lines = [
  '',
  'bulkops is up: dashboard http://localhost:3000/ (paste the token below), API http://localhost:3000/v1, docs http://localhost:3000/docs',
];
if (demo.token) {
  lines.push(
    `${demo.fresh ? 'Provisioned' : 'Using'} the demo organization ${demo.orgId}; its admin token:`,
    `  export BULKOPS_TOKEN=${demo.token}`,
    'Try:',
    '  curl -H "Authorization: Bearer $BULKOPS_TOKEN" http://localhost:3000/v1/objects',
    '  npx bulkops import-dir examples/contact-center   # a whole example contact center, in dependency order',
  );
} else {
  lines.push(
    `Organization ${demo.orgId} exists; issue a token with: npx bulkops admin create-token --org ${demo.orgId} --admin-email <email> --admin-name "<name>"`,
  );
}
lines.push('Ctrl-C stops everything.', '');
console.log(lines.join('\n'));
