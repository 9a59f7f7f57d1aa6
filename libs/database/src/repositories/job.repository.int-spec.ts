import { ErrorCode, JobMode, JobStatus } from '@bulkops/contracts';
import {
  createJob,
  createOrganization,
  createTestContext,
  type TestContext,
} from '@bulkops/testing';
import type { JobEntity } from '../entities';
import { JobRepository } from './job.repository';
import { JobViewRepository } from './job-view.repository';

describe('JobRepository', () => {
  let context: TestContext;
  let jobs: JobRepository;

  beforeAll(async () => {
    context = await createTestContext();
    jobs = new JobRepository(context.dataSource);
  });

  afterAll(async () => {
    await context?.dispose();
  });

  /** A NEW job of one organization, and the id of another organization that must not reach it. */
  async function jobAndStranger(
    idempotencyKey: string | null = null,
  ): Promise<{ job: JobEntity; orgId: string; otherOrgId: string }> {
    const { orgId } = await createOrganization(context.dataSource);
    const { orgId: otherOrgId } = await createOrganization(context.dataSource);
    const job = await createJob(context.dataSource, orgId, { idempotencyKey });
    return { job, orgId, otherOrgId };
  }

  const reread = (job: JobEntity) => jobs.find(job.organizationId, job.id);
  const totals = {
    chunks: 1,
    rows: 4,
    created: 1,
    updated: 1,
    deleted: 1,
    unchanged: 0,
    failed: 1,
  };
  const failure = { code: ErrorCode.EmptyFile, message: 'f.csv is empty', file: 'f.csv' };

  it('finds a job only for its own organization', async () => {
    const { job, orgId, otherOrgId } = await jobAndStranger('key-1');
    expect(await jobs.find(otherOrgId, job.id)).toBeNull();
    expect(await jobs.findActive(otherOrgId)).toBeNull();
    expect(await jobs.findByIdempotencyKey(otherOrgId, 'key-1')).toBeNull();
    expect(await jobs.find(orgId, job.id)).toMatchObject({ id: job.id, organizationId: orgId });
    expect(await jobs.findActive(orgId)).toMatchObject({ id: job.id });
    expect(await jobs.findByIdempotencyKey(orgId, 'key-1')).toMatchObject({ id: job.id });
  });

  it("changes nothing of a job through the ingest steps when given another organization's id", async () => {
    const { job, orgId, otherOrgId } = await jobAndStranger();
    const before = await reread(job);
    expect(await jobs.markStarted(otherOrgId, job.id)).toBeNull();
    await jobs.touch(otherOrgId, job.id);
    await jobs.recordIngestFailure(otherOrgId, job.id, failure);
    await context.dataSource.transaction((m) =>
      jobs.recordRelease(m, otherOrgId, job.id, {
        chunkCount: 2,
        totalRows: 4,
        columns: ['Name'],
        files: [{ name: 'f.csv', rows: 4 }],
      }),
    );
    expect(await reread(job)).toEqual(before);
    expect(await new JobViewRepository(context.dataSource).filesOf(orgId, job.id)).toEqual([]);

    expect(await jobs.markStarted(orgId, job.id)).toMatchObject({ status: JobStatus.InProgress });
    await jobs.recordIngestFailure(orgId, job.id, failure);
    expect(await reread(job)).toMatchObject({ failureCode: ErrorCode.EmptyFile });
  });

  it("neither locks, counts, fails nor deletes a job for another organization's id", async () => {
    const { job, orgId, otherOrgId } = await jobAndStranger();
    const before = await reread(job);
    await context.dataSource.transaction(async (m) => {
      expect(await jobs.lockForUpdate(m, otherOrgId, job.id)).toBeNull();
      await jobs.saveProgress(m, otherOrgId, job.id, totals, JobStatus.Completed, true);
      await jobs.failStalled(m, otherOrgId, job.id, failure);
    });
    await jobs.deleteNew(otherOrgId, job.id);
    expect(await reread(job)).toEqual(before);

    await context.dataSource.transaction(async (m) => {
      expect(await jobs.lockForUpdate(m, orgId, job.id)).toMatchObject({ id: job.id });
      await jobs.saveProgress(m, orgId, job.id, totals, null, true);
    });
    expect(await reread(job)).toMatchObject({ processedRows: 4, failedRows: 1, status: 'NEW' });
    await jobs.deleteNew(orgId, job.id);
    expect(await reread(job)).toBeNull();
  });

  it('keeps one active job per organization without blocking another organization', async () => {
    const { job, orgId, otherOrgId } = await jobAndStranger();
    await expect(createJob(context.dataSource, orgId)).rejects.toMatchObject({
      code: ErrorCode.JobAlreadyActive,
      activeJobId: job.id,
    });
    const other = await createJob(context.dataSource, otherOrgId);
    const active = await jobs.listActiveAcrossOrganizations();
    expect(active.map((j) => j.id)).toEqual(expect.arrayContaining([job.id, other.id]));
  });

  it('names the latest finished job that may have changed objects, skipping validate, failed and active jobs, per organization', async () => {
    const { orgId } = await createOrganization(context.dataSource);
    const { orgId: otherOrgId } = await createOrganization(context.dataSource);
    const finish = async (job: JobEntity, status: JobStatus) =>
      context.dataSource.query(`UPDATE job SET status = $2, finished_at = now() WHERE id = $1`, [
        job.id,
        status,
      ]);
    expect(await jobs.latestChanging(orgId)).toBeNull();
    const applied = await createJob(context.dataSource, orgId);
    await finish(applied, JobStatus.CompletedWithErrors);
    const undone = await createJob(context.dataSource, orgId, {
      mode: JobMode.Undo,
      undoOf: applied.id,
    });
    await finish(undone, JobStatus.Cancelled);
    const validated = await createJob(context.dataSource, orgId, { mode: JobMode.Validate });
    await finish(validated, JobStatus.Completed);
    const failed = await createJob(context.dataSource, orgId);
    await finish(failed, JobStatus.Failed);
    await createJob(context.dataSource, orgId);

    expect((await jobs.latestChanging(orgId))?.id).toBe(undone.id);
    expect(await jobs.latestChanging(otherOrgId)).toBeNull();
  });
});
