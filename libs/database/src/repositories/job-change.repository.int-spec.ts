import { randomUUID } from 'node:crypto';
import {
  createJob,
  createOrganization,
  createTestContext,
  type TestContext,
} from '@bulkops/testing';
import { JobChangeRepository, type ChangeToRecord } from './job-change.repository';

/** Change records stored per chunk (job_change_chunk) read back in chunk and row order. */
describe('JobChangeRepository', () => {
  let context: TestContext;

  beforeAll(async () => {
    context = await createTestContext();
  });

  afterAll(async () => {
    await context?.dispose();
  });

  const change = (rowIndex: number): ChangeToRecord => ({
    rowIndex,
    action: 'create',
    objectId: randomUUID(),
    keyDisplay: `Site ${rowIndex}`,
    before: null,
    after: [`Site ${rowIndex}`, 'MMP'],
    sourceRow: rowIndex + 2,
  });

  it('pages across chunk boundaries in chunk and row order, and refuses changes out of row order', async () => {
    const { orgId } = await createOrganization(context.dataSource);
    const job = await createJob(context.dataSource, orgId, { object: 'site' });
    await context.dataSource.query(
      `INSERT INTO job_file (job_id, ordinal, name, rows) VALUES ($1, 0, 'sites.csv', 9)`,
      [job.id],
    );
    const changes = new JobChangeRepository(context.dataSource);
    const chunk = (seq: number) => ({ seq, fileOrdinal: 0, object: 'site' });
    await context.dataSource.transaction(async (m) => {
      // Chunk 1 is recorded before chunk 0, as concurrent workers may commit them.
      await changes.record(m, orgId, job.id, chunk(1), [change(0), change(2)]);
      await changes.record(m, orgId, job.id, chunk(0), [change(1), change(3), change(4)]);
      await changes.record(m, orgId, job.id, chunk(2), []);
    });
    const at = (c: { chunkSeq: number; rowIndex: number }) => [c.chunkSeq, c.rowIndex];

    const first = await changes.page(orgId, job.id, 2, null);
    expect(first.map(at)).toEqual([
      [0, 1],
      [0, 3],
    ]);
    expect(first[0]).toMatchObject({ sourceFile: 'sites.csv', sourceRow: 3, before: null });
    expect(first[0].after).toEqual(['Site 1', 'MMP']);
    const second = await changes.page(orgId, job.id, 2, { chunkSeq: 0, rowIndex: 3 });
    expect(second.map(at)).toEqual([
      [0, 4],
      [1, 0],
    ]);
    const rest = await changes.page(orgId, job.id, 10, { chunkSeq: 1, rowIndex: 0 });
    expect(rest.map(at)).toEqual([[1, 2]]);

    const { rows, release } = await changes.stream(orgId, job.id);
    const streamed: { chunkSeq: number; rowIndex: number }[] = [];
    for await (const row of rows) streamed.push(row as { chunkSeq: number; rowIndex: number });
    await release();
    expect(streamed.map(at)).toEqual([
      [0, 1],
      [0, 3],
      [0, 4],
      [1, 0],
      [1, 2],
    ]);

    await expect(
      context.dataSource.transaction((m) =>
        changes.record(m, orgId, job.id, chunk(3), [change(5), change(4)]),
      ),
    ).rejects.toThrow('out of row order');
    // The refused chunk leaves nothing in the repository's writer for the next one.
    await context.dataSource.transaction((m) =>
      changes.record(m, orgId, job.id, chunk(4), [change(7)]),
    );
    const next = await changes.page(orgId, job.id, 10, { chunkSeq: 3, rowIndex: 0 });
    expect(next.map(at)).toEqual([[4, 7]]);
  });
});
