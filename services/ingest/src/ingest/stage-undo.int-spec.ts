import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { JobMode, JobStatus } from '@bulkops/contracts';
import {
  JobChangeRepository,
  JobRepository,
  JobViewRepository,
  type ChangeToRecord,
} from '@bulkops/database';
import { bundlePhase, getObject } from '@bulkops/objects';
import { startService } from '@bulkops/observability';
import {
  createJob,
  createOrganization,
  createTestContext,
  type TestContext,
} from '@bulkops/testing';
import { ingestService } from '../ingest.service';
import { IngestUploadService } from './ingest-upload.service';

/**
 * Ingest of an undo job: no upload; its rows are the original job's change records, staged in undo
 * order (restores first in the job's order, then removals of what it created in reverse), one
 * chunk per part and file, each row carrying the state its object must be in.
 */
describe('IngestUploadService, undo jobs', () => {
  let context: TestContext;
  let app: INestApplication;
  let ingest: IngestUploadService;

  beforeAll(async () => {
    context = await createTestContext({ INGEST_CHUNK_SIZE: '1000' });
    app = await startService(ingestService, { ...context.env, PORT: '0', INGEST_CONCURRENCY: '1' });
    ingest = app.get(IngestUploadService);
  });

  afterAll(async () => {
    await app?.close();
    await context?.dispose();
  });

  const change = (
    rowIndex: number,
    action: ChangeToRecord['action'],
    name: string,
    before: string | null,
    after: string | null,
  ): ChangeToRecord => ({
    rowIndex,
    action,
    objectId: randomUUID(),
    keyDisplay: name,
    before: before === null ? null : [name, before],
    after: after === null ? null : [name, after],
    sourceRow: rowIndex + 2,
  });

  it('stages the rows that take the changes back, in undo order, with the state each expects', async () => {
    const { orgId } = await createOrganization(context.dataSource);
    const jobs = new JobRepository(context.dataSource);
    const original = await createJob(context.dataSource, orgId, { fileName: 'sites.zip' });
    await context.dataSource.transaction(async (manager) => {
      await jobs.recordRelease(manager, orgId, original.id, {
        chunkCount: 2,
        totalRows: 4,
        columns: ['Name', 'Multimedia Profile'],
        files: [
          { name: 'sites-1.csv', rows: 2 },
          { name: 'sites-2.csv', rows: 2 },
        ],
      });
      const changes = new JobChangeRepository(context.dataSource);
      await changes.record(
        manager,
        orgId,
        original.id,
        { seq: 0, fileOrdinal: 0, object: 'site' },
        [change(0, 'create', 'A', null, 'MMP'), change(1, 'update', 'B', 'Old', 'New')],
      );
      await changes.record(
        manager,
        orgId,
        original.id,
        { seq: 1, fileOrdinal: 1, object: 'site' },
        [change(0, 'delete', 'C', 'MMP', null), change(1, 'create', 'D', null, 'MMP')],
      );
    });
    await context.dataSource.query(`UPDATE job SET status = $2 WHERE id = $1`, [
      original.id,
      JobStatus.Completed,
    ]);
    const undo = await createJob(context.dataSource, orgId, {
      mode: JobMode.Undo,
      undoOf: original.id,
      fileName: 'undo-sites.csv',
      uploadKey: '',
    });

    await ingest.ingest(undo.id, orgId);

    const since = original.id;
    // The phases a bundle applies a site's rows in: restores first, removals after every restore.
    const restore = bundlePhase(getObject('site'), 'upsert');
    const remove = bundlePhase(getObject('site'), 'delete');
    expect(
      await context.dataSource.query(
        `SELECT seq, file_ordinal, phase, rows FROM chunk WHERE job_id = $1 ORDER BY seq`,
        [undo.id],
      ),
    ).toEqual([
      {
        seq: 0,
        file_ordinal: 0,
        phase: restore,
        rows: [{ line: 3, cells: ['B', 'Old', ''], expected: { since, values: ['B', 'New'] } }],
      },
      {
        seq: 1,
        file_ordinal: 1,
        phase: restore,
        rows: [{ line: 2, cells: ['C', 'MMP', ''], expected: { since, values: null } }],
      },
      {
        seq: 2,
        file_ordinal: 1,
        phase: remove,
        rows: [
          { line: 3, cells: ['D', 'MMP', 'DELETE'], expected: { since, values: ['D', 'MMP'] } },
        ],
      },
      {
        seq: 3,
        file_ordinal: 0,
        phase: remove,
        rows: [
          { line: 2, cells: ['A', 'MMP', 'DELETE'], expected: { since, values: ['A', 'MMP'] } },
        ],
      },
    ]);
    expect(await jobs.find(orgId, undo.id)).toMatchObject({
      status: 'IN_PROGRESS',
      chunkCount: 4,
      totalRows: 4,
      columns: ['Name', 'Multimedia Profile', 'Action'],
      failureCode: null,
    });
    expect(await new JobViewRepository(context.dataSource).filesOf(orgId, undo.id)).toEqual([
      { jobId: undo.id, ordinal: 0, name: 'sites-1.csv', rows: 2, object: 'site' },
      { jobId: undo.id, ordinal: 1, name: 'sites-2.csv', rows: 2, object: 'site' },
    ]);
  });
});
