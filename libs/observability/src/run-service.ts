import 'reflect-metadata';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import type { DynamicModule, INestApplication } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import {
  ConfigError,
  DatabaseEnv,
  HttpEnv,
  loadEnv,
  processEnv,
  RedisEnv,
  type EnvClass,
  type EnvSource,
  type LoadedEnv,
} from '@bulkops/config';
import { checkPostgres, checkRedis, PreflightError } from './preflight';

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
}

/**
 * Starts a service: validate configuration, check Postgres and Redis, build the Nest app with
 * logging, health, metrics and shutdown hooks, and listen. Every `main.ts` is a call to this.
 * Tests call it with an env object to run a service in-process.
 */
export async function startService(
  definition: ServiceDefinition,
  source: EnvSource = processEnv(),
): Promise<INestApplication> {
  const env = loadEnv([HttpEnv, ...definition.envClasses], source);
  await checkPostgres(env.get(DatabaseEnv), definition.name);
  await checkRedis(env.get(RedisEnv), definition.name);
  const app = await NestFactory.create(definition.module(env), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  // Nothing in an answer says which framework serves it.
  (app.getHttpAdapter().getInstance() as { disable(setting: string): void }).disable(
    'x-powered-by',
  );
  app.enableShutdownHooks();
  await definition.configure?.(app, env);
  const port = env.get(HttpEnv).port ?? definition.defaultPort;
  await app.listen(port);
  const server = app.getHttpServer() as Server;
  app
    .get(Logger)
    .log(`bulkops ${definition.name} ready on port ${(server.address() as AddressInfo).port}`);
  return app;
}

/** `main.ts` of a service: start, or explain in one sentence why not and exit non-zero. */
export function runService(definition: ServiceDefinition): void {
  startService(definition).catch((error: unknown) => {
    if (error instanceof ConfigError) {
      process.stderr.write(`bulkops ${definition.name}: ${error.message}\n`);
    } else if (error instanceof PreflightError) {
      process.stderr.write(`${error.message}\n`);
    } else {
      process.stderr.write(
        `bulkops ${definition.name} failed to start: ${(error as Error).stack ?? String(error)}\n`,
      );
    }
    process.exit(1);
  });
}
