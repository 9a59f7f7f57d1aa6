import 'reflect-metadata';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getPriority, setPriority } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { NestFactory } from '@nestjs/core';
import type { DynamicModule, INestApplication } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import { isBulkopsError } from '@bulkops/contracts';
import {
  DatabaseEnv,
  HttpEnv,
  loadEnv,
  processEnv,
  RedisEnv,
  ShutdownEnv,
  type EnvClass,
  type EnvSource,
  type LoadedEnv,
} from '@bulkops/config';
import { checkPostgres, checkRedis, PreflightError } from './preflight';
import { ShutdownState } from './shutdown-state';

/** What a service tells the shared bootstrap. */
export interface ServiceDefinition {
  name: string;
  defaultPort: number;
  /** Every env class the service needs; validated together before anything connects. */
  envClasses: readonly EnvClass[];
  /** The root module, built from the validated configuration. */
  module: (env: LoadedEnv) => DynamicModule;
  /** Extra HTTP setup (the gateway's OpenAPI document, body limits). */
  configure?: (app: INestApplication, env: LoadedEnv) => void | Promise<void>;
  /**
   * Batch work (reading uploads, applying chunks) that yields the CPU to the services people and
   * scripts wait on (see BATCH_NICENESS).
   */
  batch?: boolean;
}

/**
 * Starts a service: validate configuration, check Postgres and Redis, build the Nest app with
 * logging, health and metrics, and listen. Every `main.ts` is a call to this (through
 * `runService`, which adds the signal handling). Tests call it with an env object to run a service
 * in-process and stop it with `app.close()`.
 */
export async function startService(
  definition: ServiceDefinition,
  source: EnvSource = processEnv(),
): Promise<INestApplication> {
  const env = loadEnv([HttpEnv, ShutdownEnv, ...definition.envClasses], source);
  await checkPostgres(env.get(DatabaseEnv), definition.name);
  await checkRedis(env.get(RedisEnv), definition.name);
  const app = await NestFactory.create(definition.module(env), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  // Nothing in an answer says which framework serves it.
  (app.getHttpAdapter().getInstance() as { disable(setting: string): void }).disable(
    'x-powered-by',
  );
  await definition.configure?.(app, env);
  const http = env.get(HttpEnv);
  const server = app.getHttpServer() as Server;
  server.keepAliveTimeout = http.httpKeepAliveTimeoutMs;
  // A request's headers may take no longer than an idle connection may wait for them.
  server.headersTimeout = http.httpKeepAliveTimeoutMs + 1000;
  await app.listen(http.port ?? definition.defaultPort);
  app
    .get(Logger)
    .log(`bulkops ${definition.name} ready on port ${(server.address() as AddressInfo).port}`);
  return app;
}

/**
 * Stops a service gracefully, within SHUTDOWN_GRACE_MS: readiness turns red, queue consumers stop
 * taking jobs and let active ones finish (QueueProcessor), the HTTP server stops accepting and
 * waits for the requests in flight (an upload completes and is recorded), then connections close.
 * Answers whether everything finished in time. If not, the process exits anyway: an unfinished
 * chunk or ingest rolls back with its Postgres transaction and its queue job returns to the queue
 * when its lock expires, so nothing is left half done.
 */
export async function stopService(
  app: INestApplication,
  name: string,
  signal: string,
): Promise<boolean> {
  const logger = app.get(Logger);
  const graceMs = app.get(ShutdownEnv).shutdownGraceMs;
  app.get(ShutdownState).begin();
  logger.log({ signal, graceMs }, `bulkops ${name} stopping: finishing work in flight`, 'Shutdown');
  let timer: NodeJS.Timeout | undefined;
  const finished = await Promise.race([
    app.close().then(
      () => true,
      (error: unknown) => {
        logger.error({ err: error }, `bulkops ${name} failed while stopping`, 'Shutdown');
        return false;
      },
    ),
    new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), graceMs))),
  ]);
  clearTimeout(timer);
  if (finished) logger.log(`bulkops ${name} stopped`, 'Shutdown');
  else
    logger.warn(
      { graceMs },
      `bulkops ${name} did not finish within SHUTDOWN_GRACE_MS; exiting with work unfinished, which is redone from Postgres' record`,
      'Shutdown',
    );
  return finished;
}

/**
 * How far V8 lets the old generation grow past what the last full collection kept before it runs
 * the next one: 200 %, so at three times the live heap (never past --max-old-space-size, which
 * every launcher sets to bound memory). Under such a small cap V8 grows it by only 1.3–1.5 times,
 * and marks the chunk a service holds for a moment again and again: about a quarter of the
 * worker's CPU (bench/apply-cpu.mjs, 100,000 users under a 160 MB cap: 2.97–3.26 s of CPU
 * before, 2.34–2.42 s after, peak RSS 205 → 215 MB). NODE_OPTIONS does not accept the flag, so
 * each service sets it as it starts.
 */
const HEAP_GROWING_PERCENT = 200;

/**
 * How much nicer than their launcher batch services run, so that where services share cores
 * (`npm start`, one host) a read of a job answers before the next chunk is worked on: an import
 * keeps both cores busy, and at equal priority the gateway's answers queued behind it. 100,000 users
 * with 100 reads/s of the job routes on two cores, six alternating pairs: p99 of GET /v1/jobs/{id}
 * 40–82 ms as equals, 23–46 ms with the batch services 10 nicer (better in every pair); the
 * import's own time unchanged within this machine's noise. Postgres, which the batch services wait
 * on, keeps its own priority. A container has its own CPU share instead (docker-compose.yml gives
 * the batch services a smaller one).
 */
const BATCH_NICENESS = 10;

/**
 * `main.ts` of a service: start, or explain in one sentence why not and exit non-zero. On SIGTERM
 * or SIGINT it stops gracefully and exits 0, or 1 when the grace period ran out. A BulkopsError
 * (invalid configuration, processors that do not match the queue catalogue) already says what to
 * fix, so it is printed without a stack.
 */
export function runService(definition: ServiceDefinition): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  // Relative to the launcher's priority (19 is the lowest); lowering one's own priority needs no
  // privilege, and where it is refused the service runs as is.
  if (definition.batch) {
    try {
      setPriority(Math.min(19, getPriority() + BATCH_NICENESS));
    } catch {
      process.stderr.write(`bulkops ${definition.name}: could not lower its CPU priority\n`);
    }
  }
  startService(definition).then(
    (app) => {
      const stop = (signal: NodeJS.Signals) => {
        void stopService(app, definition.name, signal).then((finished) =>
          process.exit(finished ? 0 : 1),
        );
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    },
    (error: unknown) => {
      if (isBulkopsError(error)) {
        process.stderr.write(`bulkops ${definition.name}: ${error.message}\n`);
      } else if (error instanceof PreflightError) {
        process.stderr.write(`${error.message}\n`);
      } else {
        process.stderr.write(
          `bulkops ${definition.name} failed to start: ${(error as Error).stack ?? String(error)}\n`,
        );
      }
      process.exit(1);
    },
  );
}
