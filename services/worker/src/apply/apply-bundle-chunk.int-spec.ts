import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { ErrorCode, JobMode } from '@bulkops/contracts';
import { ChunkRepository, serializeRows, JobRepository } from '@bulkops/database';
import { startService } from '@bulkops/observability';
import { createOrganization, createTestContext, type TestContext } from '@bulkops/testing';
import { workerService } from '../worker.service';
import { ApplyChunkService } from './apply-chunk.service';

/**
 * A bundle's second type through the worker (spec/api.md "Bundles"): a team on a site the bundle
 * rejected is blocked by that row; in validate mode a team on a site the bundle creates binds to
 * it though the site's write was rolled back, and nothing is written.
 */
describe('ApplyChunkService on a bundle', () => {
  let context: TestContext;
  let app: INestApplication;
  let service: ApplyChunkService;

  beforeAll(async () => {
    context = await createTestContext();
    app = await startService(workerService, { ...context.env, PORT: '0' });
    service = app.get(ApplyChunkService);
  });

  afterAll(async () => {
    await app?.close();
    await context?.dispose();
  });

  const target = (name: string, line: number) => ({
    keyNorm: name.toLowerCase(),
    leafNorm: name.toLowerCase(),
    keyDisplay: name,
    place: `site.csv row ${line}`,
    values: {},
    line,
  });

  /** A released bundle: Austin (row 2) and Denver (row 3, no Multimedia Profile), then two teams. */
  async function stagedBundle(mode: JobMode): Promise<{ jobId: string; orgId: string }> {
    const org = await createOrganization(context.dataSource);
    const [{ id: adminId }] = await context.dataSource.query<{ id: string }[]>(
      `SELECT id FROM administrator WHERE organization_id = $1 LIMIT 1`,
      [org.orgId],
    );
    const jobs = new JobRepository(context.dataSource);
    const jobId = randomUUID();
    await jobs.insertActive(org.orgId, {
      id: jobId,
      adminId,
      object: 'bundle',
      mode,
      fileName: 'bundle.zip',
      fileSize: 1,
      uploadKey: 'unused',
      idempotencyKey: null,
    });
    await jobs.markStarted(org.orgId, jobId);
    const chunks = new ChunkRepository(context.dataSource);
    await chunks.stage(org.orgId, {
      jobId,
      seq: 0,
      fileOrdinal: 0,
      object: 'site',
      phase: 0,
      rows: serializeRows([
        { line: 2, cells: ['Austin', 'MMP', null] },
        {
          line: 3,
          cells: ['Denver', null, null],
          problems: [{ code: ErrorCode.RequiredValue, column: 'Multimedia Profile', message: 'x' }],
        },
      ]),
      keys: ['austin', 'denver'],
      targets: [target('Austin', 2), target('Denver', 3)],
    });
    await chunks.stage(org.orgId, {
      jobId,
      seq: 1,
      fileOrdinal: 1,
      object: 'team',
      phase: 8,
      rows: serializeRows([
        { line: 2, cells: ['Sales', 'Austin', 'AGENT', null, null, null, null, null, null] },
        { line: 3, cells: ['Dispatch', 'Denver', 'AGENT', null, null, null, null, null, null] },
      ]),
      keys: ['austin/sales', 'denver/dispatch'],
    });
    await context.dataSource.transaction((m) =>
      jobs.recordRelease(m, org.orgId, jobId, {
        chunkCount: 2,
        totalRows: 4,
        columns: [],
        files: [
          { name: 'site.csv', rows: 2, object: 'site', columns: ['Name', 'Multimedia Profile'] },
          { name: 'team.csv', rows: 2, object: 'team', columns: ['Name', 'Site', 'Type'] },
        ],
      }),
    );
    return { jobId, orgId: org.orgId };
  }

  const errors = (jobId: string) =>
    context.dataSource.query<{ file_ordinal: number; source_row: number; message: string }[]>(
      `SELECT file_ordinal, source_row, message FROM row_error WHERE job_id = $1 ORDER BY file_ordinal, source_row`,
      [jobId],
    );
  const count = async (table: string, orgId: string) =>
    (
      await context.dataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM ${table} WHERE organization_id = $1`,
        [orgId],
      )
    )[0].n;
  const ledger = (jobId: string) =>
    context.dataSource.query(
      `SELECT seq, object, created, failed FROM chunk_ledger WHERE job_id = $1 ORDER BY seq`,
      [jobId],
    );

  const BLOCKED =
    "Site: Site 'Denver' was not created: site.csv row 3 was rejected; fix that row and upload both again";

  it.each([JobMode.Apply, JobMode.Validate])(
    'blocks the team of the rejected site and binds the other (%s)',
    async (mode) => {
      const { jobId, orgId } = await stagedBundle(mode);
      await service.apply({ jobId, orgId, object: 'site', chunk: 0 });
      await service.apply({ jobId, orgId, object: 'team', chunk: 1 });
      expect(await errors(jobId)).toEqual([
        { file_ordinal: 0, source_row: 3, message: 'x' },
        { file_ordinal: 1, source_row: 3, message: BLOCKED },
      ]);
      expect(await ledger(jobId)).toEqual([
        { seq: 0, object: 'site', created: 1, failed: 1 },
        { seq: 1, object: 'team', created: 1, failed: 1 },
      ]);
      const written = mode === JobMode.Apply ? 1 : 0;
      expect([await count('site', orgId), await count('team', orgId)]).toEqual([written, written]);
    },
  );
});
