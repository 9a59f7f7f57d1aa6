import { JobStatus, type JobView } from '@bulkops/contracts';
import {
  createOrganization,
  type ApiDriver,
  type Stack,
  type TestContext,
  type TestOrganization,
  startServices,
  stopServices,
  waitFor,
} from '@bulkops/testing';
import { revokeTokenForTest } from './support/revoke-token';

const SITES = 'Name,Multimedia Profile\nCache Site,MMP\n';

/**
 * The gateway answers polled job reads and token lookups from memory (GATEWAY_READ_CACHE_MS). The
 * stack here keeps answers for ten minutes, so only Postgres' notifications can make a change
 * visible: every assertion below would fail if an answer outlived the change it hides.
 */
describe('answers the gateway keeps in memory', () => {
  let context: TestContext;
  let stack: Stack;
  let api: ApiDriver;
  let org: TestOrganization;

  beforeAll(async () => {
    ({ context, stack, api } = await startServices({
      env: { GATEWAY_READ_CACHE_MS: String(10 * 60_000) },
    }));
    org = await createOrganization(context.dataSource);
  });

  afterAll(() => stopServices({ context, stack }));

  it('refuses a revoked token at once, even one it has just accepted', async () => {
    const other = await createOrganization(context.dataSource);
    expect((await api.get('/v1/jobs', other.adminToken)).status).toBe(200);
    expect((await api.get('/v1/jobs', other.adminToken)).status).toBe(200);
    // Refused once the revocation's notification has arrived: milliseconds, not the cache's ten minutes.
    await revokeTokenForTest(context.dataSource, other.adminToken, api);
    expect((await api.get('/v1/jobs', other.adminToken)).status).toBe(401);
    // Another token of the organization is not affected.
    expect((await api.get('/v1/jobs', other.viewerToken)).status).toBe(200);
  });

  it('lists a job it has just accepted, and shows a job that changes without a reload', async () => {
    expect((await api.get('/v1/jobs', org.adminToken)).body.items).toEqual([]);
    expect((await api.get('/v1/jobs/active', org.adminToken)).status).toBe(204);

    const submitted = await api.submit(org.adminToken, 'site', {
      name: 'sites.csv',
      content: SITES,
    });
    expect(submitted.status).toBe(202);
    const id: string = submitted.body.id;
    // Read-your-writes on the gateway that took the job: no waiting for a notification.
    const listed = (await api.get<{ items: JobView[] }>('/v1/jobs', org.adminToken)).body.items;
    expect(listed.map((j) => j.id)).toEqual([id]);

    const finished = await api.finished(org.adminToken, id);
    expect(finished.status).toBe(JobStatus.Completed);
    expect(finished.counts.created).toBe(1);
    await waitFor(
      'the list and the active route to show the job finished',
      async () =>
        (await api.get<{ items: JobView[] }>('/v1/jobs', org.adminToken)).body.items[0]?.status ===
          JobStatus.Completed && (await api.get('/v1/jobs/active', org.adminToken)).status === 204,
      10_000,
    );
    expect((await api.get(`/v1/jobs/${id}`, org.adminToken)).body).toEqual(finished);

    // A change written by anything else (here: SQL) is announced by Postgres and shown.
    await context.dataSource.query(`UPDATE job SET failure_message = 'changed' WHERE id = $1`, [
      id,
    ]);
    await context.dataSource.query(
      `UPDATE job SET failure_code = 'TEST', failure_file = 'x.csv' WHERE id = $1`,
      [id],
    );
    await waitFor(
      'the job read to show the changed failure',
      async () =>
        (await api.get<JobView>(`/v1/jobs/${id}`, org.adminToken)).body.failure?.code === 'TEST',
      10_000,
    );
    const [page] = (await api.get<{ items: JobView[] }>('/v1/jobs', org.adminToken)).body.items;
    expect(page.failure).toEqual({ code: 'TEST', message: 'changed', file: 'x.csv' });
  });

  it('never shows one organization a job answer of another', async () => {
    const other = await createOrganization(context.dataSource);
    const [job] = (await api.get<{ items: JobView[] }>('/v1/jobs', org.adminToken)).body.items;
    expect((await api.get(`/v1/jobs/${job.id}`, org.adminToken)).status).toBe(200);
    expect((await api.get(`/v1/jobs/${job.id}`, other.adminToken)).status).toBe(404);
    expect((await api.get<{ items: JobView[] }>('/v1/jobs', other.adminToken)).body.items).toEqual(
      [],
    );
  });
});
