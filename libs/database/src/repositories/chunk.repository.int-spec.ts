import { ErrorCode } from '@bulkops/contracts';
import {
  createJob,
  createOrganization,
  createTestContext,
  type TestContext,
} from '@bulkops/testing';
import { ChunkRepository, serializeRows, type StagedChunk } from './chunk.repository';

describe('ChunkRepository', () => {
  let context: TestContext;
  let chunks: ChunkRepository;

  beforeAll(async () => {
    context = await createTestContext();
    chunks = new ChunkRepository(context.dataSource);
  });

  afterAll(async () => {
    await context?.dispose();
  });

  /** Two chunks of one job whose key `s1` appears twice, and another organization's id. */
  async function stagedJob(): Promise<{ jobId: string; orgId: string; otherOrgId: string }> {
    const { orgId } = await createOrganization(context.dataSource);
    const { orgId: otherOrgId } = await createOrganization(context.dataSource);
    const { id: jobId } = await createJob(context.dataSource, orgId);
    for (const seq of [0, 1]) await chunks.stage(orgId, chunk(jobId, seq));
    return { jobId, orgId, otherOrgId };
  }

  const chunk = (jobId: string, seq: number): StagedChunk => ({
    jobId,
    seq,
    fileOrdinal: 0,
    rows: serializeRows([{ line: seq + 2, cells: ['S1', 'MMP', null] }]),
    keys: ['s1'],
  });

  const lockForApply = (orgId: string, jobId: string, seq: number) =>
    context.dataSource.transaction((m) => chunks.lockForApply(m, orgId, jobId, seq));

  const stagedSeqs = async (jobId: string) =>
    (
      await context.dataSource.query<{ seq: number }[]>(
        `SELECT seq FROM chunk WHERE job_id = $1 ORDER BY seq`,
        [jobId],
      )
    ).map((r) => r.seq);

  /** The keys `streamDuplicateKeys` finds duplicated, read to the end. */
  const duplicatedKeys = async (orgId: string, jobId: string): Promise<string[]> => {
    const { places, release } = await chunks.streamDuplicateKeys(orgId, jobId, 'site', 4);
    const keys = new Set<string>();
    try {
      for await (const place of places) keys.add(place.key);
    } finally {
      await release();
    }
    return [...keys];
  };

  it("reads nothing of a job's chunks for another organization's id", async () => {
    const { jobId, orgId, otherOrgId } = await stagedJob();
    expect(await lockForApply(otherOrgId, jobId, 0)).toBeNull();
    expect(await duplicatedKeys(otherOrgId, jobId)).toEqual([]);
    expect(await chunks.hasDuplicateKeys(otherOrgId, jobId, 'site')).toBe(false);
    expect(await chunks.unappliedSeqs(otherOrgId, jobId, 10)).toEqual([]);

    expect(await lockForApply(orgId, jobId, 0)).toMatchObject({ seq: 0, rejections: null });
    expect(await duplicatedKeys(orgId, jobId)).toEqual(['s1']);
    expect(await chunks.hasDuplicateKeys(orgId, jobId, 'site')).toBe(true);
    expect(await chunks.hasDuplicateKeys(orgId, jobId, 'team')).toBe(false);
    expect(await chunks.unappliedSeqs(orgId, jobId, 10)).toEqual([0, 1]);
  });

  it("stages, marks and deletes nothing of a job for another organization's id", async () => {
    const { jobId, orgId, otherOrgId } = await stagedJob();
    const problem = { code: ErrorCode.DuplicateKey, column: 'Name', message: 'twice' };
    await chunks.stage(otherOrgId, chunk(jobId, 2));
    await chunks.addRejections(otherOrgId, jobId, 0, { '0': problem });
    await chunks.deleteForJob(otherOrgId, jobId);
    expect(await stagedSeqs(jobId)).toEqual([0, 1]);
    expect(await lockForApply(orgId, jobId, 0)).toMatchObject({ rejections: null });

    await chunks.addRejections(orgId, jobId, 0, { '0': problem });
    expect(await lockForApply(orgId, jobId, 0)).toMatchObject({ rejections: { '0': problem } });
    await chunks.deleteForJob(orgId, jobId);
    expect(await stagedSeqs(jobId)).toEqual([]);
  });
});
