import {
  createJob,
  createOrganization,
  createTestContext,
  type TestContext,
} from '@bulkops/testing';
import type { JobEntity } from '../entities';
import { JobRepository } from './job.repository';
import { JobViewRepository } from './job-view.repository';
import { RowErrorRepository } from './row-error.repository';

describe('JobViewRepository', () => {
  let context: TestContext;
  let views: JobViewRepository;

  beforeAll(async () => {
    context = await createTestContext();
    views = new JobViewRepository(context.dataSource);
  });

  afterAll(async () => {
    await context?.dispose();
  });

  /** A released job with one file and two rejected rows, as ingest and the worker leave it. */
  async function jobWithDetails(orgId: string): Promise<JobEntity> {
    const jobs = new JobRepository(context.dataSource);
    const job = await createJob(context.dataSource, orgId);
    await jobs.markStarted(orgId, job.id);
    await context.dataSource.transaction(async (m) => {
      await jobs.recordRelease(m, orgId, job.id, {
        chunkCount: 1,
        totalRows: 3,
        columns: ['Name'],
        files: [{ name: 'sites.csv', rows: 3 }],
      });
      const rejected = (line: number) => ({
        fileOrdinal: 0,
        line,
        cells: [`S${line}`],
        codes: ['REQUIRED_VALUE'],
        message: 'Multimedia Profile is required',
      });
      await new RowErrorRepository(context.dataSource).insertMany(m, orgId, job.id, [
        rejected(2),
        rejected(3),
      ]);
    });
    return job;
  }

  it("lists, details and files an organization's own jobs only", async () => {
    const { orgId } = await createOrganization(context.dataSource);
    const { orgId: otherOrgId } = await createOrganization(context.dataSource);
    const job = await jobWithDetails(orgId);

    expect((await views.list(otherOrgId, { limit: 10 })).map((j) => j.id)).toEqual([]);
    expect(await views.filesOf(otherOrgId, job.id)).toEqual([]);
    const foreign = await views.details(otherOrgId, [job]);
    expect([foreign.submitters.size, foreign.files.size, foreign.summaries.size]).toEqual([
      0, 0, 0,
    ]);

    expect((await views.list(orgId, { limit: 10 })).map((j) => j.id)).toEqual([job.id]);
    expect(await views.filesOf(orgId, job.id)).toEqual([
      { jobId: job.id, ordinal: 0, name: 'sites.csv', rows: 3, object: 'site' },
    ]);
    const own = await views.details(orgId, [job]);
    expect(own.submitters.get(job.administratorId)).toEqual({
      name: 'Ada Admin',
      email: 'ada@example.com',
    });
    expect(own.files.get(job.id)).toEqual([{ name: 'sites.csv', rows: 3 }]);
    expect(own.summaries.get(job.id)).toEqual([
      { message: 'Multimedia Profile is required', count: 2 },
    ]);
  });
});
