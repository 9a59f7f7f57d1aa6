import type { JobView } from '@bulkops/contracts';
import {
  createOrganization,
  startServices,
  stopServices,
  waitFor,
  type ApiDriver,
  type Stack,
  type TestContext,
  type TestOrganization,
} from '@bulkops/testing';
import { TEAM_SITES, teamZip } from './support/team-upload';

const NOT_APPLIED = /^Not applied: the job was cancelled before this row was applied/;

/**
 * Cancelling a job (spec/api.md `POST /v1/jobs/{id}/cancel`) through the built services: the job
 * ends CANCELLED, its counts are exactly what the tables gained, its error file is exactly the rows
 * that were never applied, and the organization can submit again at once.
 */
describe('cancelling a job', () => {
  let context: TestContext;
  let stack: Stack;
  let api: ApiDriver;
  let org: TestOrganization;

  beforeAll(async () => {
    ({ context, stack, api } = await startServices({
      // Many small chunks applied one at a time: a 50,000-row job is still applying when cancelled.
      env: { INGEST_CHUNK_SIZE: '500', WORKER_CONCURRENCY: '1' },
    }));
    org = await createOrganization(context.dataSource);
    expect((await api.run(org.adminToken, 'site', TEAM_SITES)).status).toBe('COMPLETED');
  });

  afterAll(() => stopServices({ context, stack }));

  const cancel = (id: string, token = org.adminToken) =>
    api.request('POST', `/v1/jobs/${id}/cancel`, token);

  async function teamsNamed(tag: string): Promise<Set<string>> {
    const rows: { name: string }[] = await context.dataSource.query(
      `SELECT name FROM team WHERE organization_id = $1 AND name LIKE $2`,
      [org.orgId, `${tag}%`],
    );
    return new Set(rows.map((r) => r.name));
  }

  /**
   * What a cancelled job must show: counts equal to what the table gained, every other row in the
   * error file with the cancel message, nothing in both, nothing missing; then a new job is taken.
   */
  async function expectCancelledExactly(job: JobView, tag: string, total: number): Promise<void> {
    expect(job.status).toBe('CANCELLED');
    const applied = await teamsNamed(tag);
    expect(job.counts.created).toBe(applied.size);
    expect(job.counts).toMatchObject({
      total,
      processed: total,
      failed: total - applied.size,
      updated: 0,
      deleted: 0,
      unchanged: 0,
    });
    const [header, ...rows] = await api.errorRows(org.adminToken, job.id);
    expect(header).toEqual(['Name', 'Site', 'Type', 'Source File', 'Source Row', 'Error Message']);
    expect(rows).toHaveLength(total - applied.size);
    const remaining = new Set(rows.map((r) => r[0]));
    expect(remaining.size).toBe(rows.length);
    for (const row of rows) {
      expect(row[5]).toMatch(NOT_APPLIED);
      expect(applied.has(row[0])).toBe(false);
    }
    expect(applied.size + remaining.size).toBe(total);

    expect((await api.get('/v1/jobs/active', org.adminToken)).status).toBe(204);
    const next = await api.run(org.adminToken, 'site', {
      name: 'next.csv',
      content: `Name,Multimedia Profile\r\nNext ${tag},MMP Default\r\n`,
    });
    expect(next.status).toBe('COMPLETED');
  }

  it('cancels a job while it is applying: what was applied stays and is counted, the rest is the error file', async () => {
    const submitted = await api.submit(org.adminToken, 'team', await teamZip(10, 5000, 'A'));
    expect(submitted.status).toBe(202);
    const id = submitted.body.id;
    await waitFor(
      'the job to apply its first chunks',
      async () =>
        (await api.get<JobView>(`/v1/jobs/${id}`, org.adminToken)).body.counts.processed > 0 ||
        undefined,
      120_000,
      50,
    );
    const answer = await cancel(id);
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ id });
    // A second cancel while the first is being carried out is harmless.
    expect([202, 409]).toContain((await cancel(id)).status);

    const job = await api.finished(org.adminToken, id, 120_000);
    expect(job.counts.created).toBeGreaterThan(0);
    expect(job.counts.created).toBeLessThan(50_000);
    await expectCancelledExactly(job, 'A', 50_000);
  });

  it('cancels a job before any row was applied: every row is in the error file, ready to upload again', async () => {
    // Without a worker nothing can be applied, wherever ingest is when the cancel arrives.
    await stack.kill('worker');
    const submitted = await api.submit(org.adminToken, 'team', await teamZip(2, 2000, 'B'));
    expect(submitted.status).toBe(202);
    const id = submitted.body.id;
    expect((await cancel(id)).status).toBe(202);
    expect((await cancel(id)).status).toBe(202);
    const job = await api.finished(org.adminToken, id, 120_000);
    await stack.startService('worker');
    expect(job.counts.created).toBe(0);
    await expectCancelledExactly(job, 'B', 4000);

    // The error file (one CSV: under the 5000-row limit) re-uploads as a new job and applies the rest.
    const errors = await api.get(`/v1/jobs/${id}/errors`, org.adminToken);
    const again = await api.run(org.adminToken, 'team', {
      name: 'teams-errors.csv',
      content: errors.text,
    });
    expect(again.failure).toBeNull();
    expect(again).toMatchObject({ status: 'COMPLETED', counts: { created: 4000 } });
  });

  it('answers 409 JOB_NOT_ACTIVE for a finished job, 403 to a viewer, 404 for another organization', async () => {
    const done = await api.run(org.adminToken, 'site', {
      name: 'done.csv',
      content: 'Name,Multimedia Profile\r\nDone,MMP Default\r\n',
    });
    const finished = await cancel(done.id);
    expect(finished.status).toBe(409);
    expect(finished.body).toMatchObject({ statusCode: 409, code: 'JOB_NOT_ACTIVE' });
    expect((await api.get<JobView>(`/v1/jobs/${done.id}`, org.adminToken)).body.status).toBe(
      'COMPLETED',
    );

    const running = await api.submit(org.adminToken, 'team', await teamZip(2, 5000, 'C'));
    expect(running.status).toBe(202);
    const viewer = await cancel(running.body.id, org.viewerToken);
    expect(viewer.status).toBe(403);
    expect(viewer.body).toMatchObject({ code: 'FORBIDDEN' });
    const other = await createOrganization(context.dataSource);
    const foreign = await cancel(running.body.id, other.adminToken);
    expect(foreign.status).toBe(404);
    expect(foreign.body).toMatchObject({ code: 'NOT_FOUND' });
    expect((await cancel('not-a-uuid')).status).toBe(404);
    // Neither refusal touched the job: it finishes on its own.
    expect((await api.finished(org.adminToken, running.body.id, 120_000)).status).toBe('COMPLETED');
  });
});
