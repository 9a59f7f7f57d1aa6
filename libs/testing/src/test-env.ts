import { Matches } from 'class-validator';
import { loadEnv, processEnv } from '@bulkops/config';

/** Where the test run finds Postgres and Redis (real ones; see README). */
export class TestEnv {
  /** A database URL whose server may be used to create and drop test databases. */
  @Matches(/^postgres(ql)?:\/\/\S+$/)
  bulkopsTestDatabaseUrl: string = 'postgres://postgres@127.0.0.1:5432/postgres';

  @Matches(/^rediss?:\/\/\S+$/)
  bulkopsTestRedisUrl: string = 'redis://127.0.0.1:6379';

  /** Set by the global setup for the test files of one run. */
  @Matches(/^$|^[a-z0-9]+$/)
  bulkopsTestRun: string = '';
}

export function testEnv(): TestEnv {
  return loadEnv([TestEnv], processEnv()).get(TestEnv);
}

/** The URL of a database on the test server. */
export function databaseUrl(name: string): string {
  const url = new URL(testEnv().bulkopsTestDatabaseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Names everything one run creates, so the teardown (or a later run) can find it. */
export const RunNames = {
  template: (run: string) => `bulkops_t_${run}_tpl`,
  databasePrefix: (run: string) => `bulkops_t_${run}_`,
  queuePrefix: (run: string) => `bulkops-t-${run}`,
  storagePrefix: (run: string) => `bulkops-t-${run}-`,
};
