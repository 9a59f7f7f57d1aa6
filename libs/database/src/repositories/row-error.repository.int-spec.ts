import { ErrorCode } from '@bulkops/contracts';
import {
  createJob,
  createOrganization,
  createTestContext,
  type TestContext,
} from '@bulkops/testing';
import { JobRepository } from './job.repository';
import { RowErrorRepository, type ReportedRow } from './row-error.repository';

describe('RowErrorRepository', () => {
  let context: TestContext;
  let rowErrors: RowErrorRepository;

  beforeAll(async () => {
    context = await createTestContext();
    rowErrors = new RowErrorRepository(context.dataSource);
  });

  afterAll(async () => {
    await context?.dispose();
  });

  async function report(orgId: string, jobId: string): Promise<ReportedRow[]> {
    const { rows, release } = await rowErrors.stream(orgId, jobId);
    try {
      return await rows.toArray();
    } finally {
      await release();
    }
  }

  const rejected = (line: number) => ({
    fileOrdinal: 0,
    line,
    cells: [`S${line}`, null],
    codes: [ErrorCode.RequiredValue],
    message: `Row ${line}, Multimedia Profile: a value is required`,
  });

  it("writes and streams nothing of a job's rejected rows for another organization's id", async () => {
    const { orgId } = await createOrganization(context.dataSource);
    const { orgId: otherOrgId } = await createOrganization(context.dataSource);
    const { id: jobId } = await createJob(context.dataSource, orgId);
    await context.dataSource.transaction(async (m) => {
      await new JobRepository(context.dataSource).recordRelease(m, orgId, jobId, {
        chunkCount: 1,
        totalRows: 3,
        columns: ['Name', 'Multimedia Profile'],
        files: [{ name: 'sites.csv', rows: 3 }],
      });
      await rowErrors.insertMany(m, orgId, jobId, [rejected(2)]);
      await rowErrors.insertMany(m, otherOrgId, jobId, [rejected(3)]);
    });

    expect(await report(otherOrgId, jobId)).toEqual([]);
    expect(await report(orgId, jobId)).toEqual([
      {
        file_name: 'sites.csv',
        source_row: 2,
        cells: ['S2', null],
        message: 'Row 2, Multimedia Profile: a value is required',
      },
    ]);
  });
});
