import { DatabaseEnv } from '@bulkops/config';
import { FINAL_JOB_STATUSES, type JobView } from '@bulkops/contracts';
import { createDataSource, runMigrations } from '@bulkops/database';
import {
  ApiDriver,
  createOrganization,
  createTestContext,
  Stack,
  waitFor,
  type TestContext,
  type TestOrganization,
} from '@bulkops/testing';
import type { DataSource } from 'typeorm';
import { OwnPostgres } from './support/own-postgres';
import { TEAM_SITES, teamLines, teamZip } from './support/team-upload';

/**
 * The chaos tier's Postgres trial: the services run against a Postgres cluster of this test's own,
 * which is restarted mid-apply. The job must end exactly like an undisturbed run of the same upload,
 * and while Postgres is away the API answers 503 (never 500).
 */
describe('a Postgres restart mid-job', () => {
  let context: TestContext;
  let postgres: OwnPostgres;
  let dataSource: DataSource;
  let stack: Stack;
  let api: ApiDriver;

  beforeAll(async () => {
    postgres = await OwnPostgres.start();
    const env = Object.assign(new DatabaseEnv(), {
      databaseUrl: postgres.url(),
      databasePoolSize: 2,
    });
    await runMigrations(env);
    dataSource = await createDataSource(env, 'chaos-test').initialize();
    context = await createTestContext();
    stack = await Stack.start(context, {
      DATABASE_URL: postgres.url(),
      INGEST_CHUNK_SIZE: '200',
      WORKER_CONCURRENCY: '1',
    });
    api = new ApiDriver(stack.gatewayUrl);
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
    await dataSource?.destroy().catch(() => undefined);
    await context?.dispose();
    await postgres?.dispose();
  });

  async function run(org: TestOrganization, disturb?: (jobId: string) => Promise<void>) {
    const submitted = await api.submit(org.adminToken, 'team', await teamZip(3, 2000, 'P'));
    expect(submitted.status).toBe(202);
    await disturb?.(submitted.body.id);
    const job = await api.finished(org.adminToken, submitted.body.id, 240_000);
    return {
      status: job.status,
      counts: job.counts,
      teams: await teamLines(dataSource, org.orgId),
      errors: await api.errorRows(org.adminToken, submitted.body.id),
    };
  }

  async function freshOrganization(): Promise<TestOrganization> {
    const org = await createOrganization(dataSource);
    expect((await api.run(org.adminToken, 'site', TEAM_SITES)).status).toBe('COMPLETED');
    return org;
  }

  it('ends exactly as undisturbed, answering 503 with Retry-After while Postgres is away', async () => {
    const baseline = await run(await freshOrganization());
    expect(baseline).toMatchObject({ status: 'COMPLETED', counts: { created: 6000 } });

    const org = await freshOrganization();
    const seen = new Set<number>();
    let faultAt = 0;
    const outcome = await run(org, async (jobId) => {
      await waitFor(
        'the job to be part-way through applying',
        async () => {
          const job = (await api.get<JobView>(`/v1/jobs/${jobId}`, org.adminToken)).body;
          if (FINAL_JOB_STATUSES.includes(job.status))
            throw new Error(`ended early: ${job.status}`);
          return job.counts.processed > 0 || undefined;
        },
        120_000,
        20,
      );
      await postgres.stop();
      faultAt = Date.now();
      const during = await api.get(`/v1/jobs/${jobId}`, org.adminToken);
      seen.add(during.status);
      expect(during.headers.get('retry-after')).toBe('5');
      await postgres.restart();
    });
    const recoveryMs = Date.now() - faultAt;
    expect([...seen]).toEqual([503]);
    expect(outcome).toEqual(baseline);
    expect((await api.get('/v1/jobs/active', org.adminToken)).status).toBe(204);
    process.stdout.write(
      `Postgres restart mid-apply: 0 lost, 0 doubled; recovered in ${recoveryMs} ms\n`,
    );
  }, 400_000);
});
