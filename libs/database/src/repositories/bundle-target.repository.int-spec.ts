import {
  createJob,
  createOrganization,
  createTestContext,
  type TestContext,
} from '@bulkops/testing';
import { BundleTargetRepository } from './bundle-target.repository';
import { ChunkRepository, serializeRows, type StagedChunk } from './chunk.repository';
import { LedgerRepository } from './ledger.repository';
import { RowErrorRepository } from './row-error.repository';

/** The apply order of a bundle's chunks, and the bundle targets a later type looks names up in. */
describe('bundle chunks and targets', () => {
  let context: TestContext;
  let chunks: ChunkRepository;
  let targets: BundleTargetRepository;

  beforeAll(async () => {
    context = await createTestContext();
    chunks = new ChunkRepository(context.dataSource);
    targets = new BundleTargetRepository();
  });

  afterAll(async () => {
    await context?.dispose();
  });

  const target = (name: string, line: number) => ({
    keyNorm: name.toLowerCase(),
    leafNorm: name.toLowerCase(),
    keyDisplay: name,
    place: `site.csv row ${line}`,
    values: { multimediaProfile: 'MMP' },
    line,
  });

  const chunk = (jobId: string, seq: number, object: string, phase: number): StagedChunk => ({
    jobId,
    seq,
    fileOrdinal: 0,
    object,
    phase,
    rows: serializeRows([
      { line: 2, cells: ['Austin', 'MMP', null] },
      { line: 3, cells: ['Denver', '', null] },
    ]),
    keys: ['austin', 'denver'],
    ...(object === 'site' ? { targets: [target('Austin', 2), target('Denver', 3)] } : {}),
  });

  const record = (orgId: string, jobId: string, seq: number) =>
    context.dataSource.transaction((manager) =>
      new LedgerRepository().record(manager, orgId, jobId, {
        seq,
        rows: 2,
        created: 2,
        updated: 0,
        deleted: 0,
        unchanged: 0,
        failed: 0,
      }),
    );

  it('dispatches a later phase only once every chunk of the earlier phases is in the ledger', async () => {
    const { orgId } = await createOrganization(context.dataSource);
    const { id: jobId } = await createJob(context.dataSource, orgId, { object: 'bundle' });
    await chunks.stage(orgId, chunk(jobId, 0, 'team', 8));
    await chunks.stage(orgId, chunk(jobId, 1, 'site', 0));
    await chunks.stage(orgId, chunk(jobId, 2, 'site', 0));
    await chunks.stage(orgId, chunk(jobId, 3, 'site', 33));

    const claim = async () =>
      (await chunks.claimForDispatch(orgId, jobId, 10, 60_000)).map((c) => [c.seq, c.object]);
    expect(await claim()).toEqual([
      [1, 'site'],
      [2, 'site'],
    ]);
    await record(orgId, jobId, 1);
    expect(await claim()).toEqual([]);
    await record(orgId, jobId, 2);
    expect(await claim()).toEqual([[0, 'team']]);
    await record(orgId, jobId, 0);
    expect(await claim()).toEqual([[3, 'site']]);
    const ledger = await context.dataSource.query<{ seq: number; object: string }[]>(
      `SELECT seq, object FROM chunk_ledger WHERE job_id = $1 ORDER BY seq`,
      [jobId],
    );
    expect(ledger).toEqual([
      { seq: 0, object: 'team' },
      { seq: 1, object: 'site' },
      { seq: 2, object: 'site' },
    ]);
  });

  it("finds a bundle's rows by key or leaf, rejected once the job has their row error, for its organization only", async () => {
    const { orgId } = await createOrganization(context.dataSource);
    const { orgId: otherOrgId } = await createOrganization(context.dataSource);
    const { id: jobId } = await createJob(context.dataSource, orgId, { object: 'bundle' });
    await chunks.stage(orgId, chunk(jobId, 0, 'site', 0));
    await context.dataSource.query(
      `INSERT INTO job_file (job_id, ordinal, name, rows, object) VALUES ($1, 0, 'site.csv', 2, 'site')`,
      [jobId],
    );
    const find = (org: string, norms: string[]) =>
      context.dataSource.transaction((m) => targets.find(m, org, jobId, 'site', norms));

    expect(await find(orgId, ['austin', 'denver', 'paris'])).toEqual([
      expect.objectContaining({ keyDisplay: 'Austin', place: 'site.csv row 2', rejected: false }),
      expect.objectContaining({ keyDisplay: 'Denver', place: 'site.csv row 3', rejected: false }),
    ]);
    await context.dataSource.transaction((m) =>
      new RowErrorRepository(context.dataSource).insertMany(m, orgId, jobId, [
        { fileOrdinal: 0, line: 3, cells: ['Denver', ''], codes: ['REQUIRED_VALUE'], message: 'x' },
      ]),
    );
    expect(await find(orgId, ['denver'])).toEqual([
      {
        keyNorm: 'denver',
        leafNorm: 'denver',
        keyDisplay: 'Denver',
        place: 'site.csv row 3',
        values: { multimediaProfile: 'MMP' },
        rejected: true,
      },
    ]);
    expect(await find(otherOrgId, ['austin', 'denver'])).toEqual([]);

    await chunks.deleteForJob(orgId, jobId);
    expect(await find(orgId, ['austin', 'denver'])).toEqual([]);
  });
});
