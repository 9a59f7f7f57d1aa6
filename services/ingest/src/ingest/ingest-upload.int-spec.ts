import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { INestApplication } from '@nestjs/common';
import { Queue } from 'bullmq';
import { JobMode } from '@bulkops/contracts';
import {
  ChunkRepository,
  serializeRows,
  JobRepository,
  JobViewRepository,
} from '@bulkops/database';
import { startService } from '@bulkops/observability';
import { redisOptions } from '@bulkops/queue';
import { StorageKeys, StorageService } from '@bulkops/storage';
import { createOrganization, createTestContext, type TestContext } from '@bulkops/testing';
import { ingestService } from '../ingest.service';
import { IngestUploadService } from './ingest-upload.service';

describe('IngestUploadService', () => {
  let context: TestContext;
  let app: INestApplication;
  let ingest: IngestUploadService;

  beforeAll(async () => {
    context = await createTestContext({ INGEST_CHUNK_SIZE: '1000' });
    // The service in-process, with its queue consumer paused so the test drives every call itself.
    app = await startService(ingestService, { ...context.env, PORT: '0', INGEST_CONCURRENCY: '1' });
    ingest = app.get(IngestUploadService);
  });

  afterAll(async () => {
    await app?.close();
    await context?.dispose();
  });

  async function submitted(
    fileName: string,
    content: string,
  ): Promise<{ jobId: string; orgId: string }> {
    const org = await createOrganization(context.dataSource);
    const [{ id: adminId }] = await context.dataSource.query<{ id: string }[]>(
      `SELECT id FROM administrator WHERE organization_id = $1 LIMIT 1`,
      [org.orgId],
    );
    const jobId = randomUUID();
    await app
      .get(StorageService)
      .put(StorageKeys.upload(jobId), Readable.from([Buffer.from(content)]));
    await new JobRepository(context.dataSource).insertActive(org.orgId, {
      id: jobId,
      adminId: adminId,
      object: 'site',
      mode: JobMode.Apply,
      fileName,
      fileSize: content.length,
      uploadKey: StorageKeys.upload(jobId),
      idempotencyKey: null,
    });
    return { jobId, orgId: org.orgId };
  }

  const sites = (count: number) =>
    `Name,Multimedia Profile\n${Array.from({ length: count }, (_, i) => `Site ${i},MMP`).join('\n')}\n`;
  const chunks = (jobId: string) =>
    context.dataSource.query(
      `SELECT seq, row_count, file_ordinal FROM chunk WHERE job_id = $1 ORDER BY seq`,
      [jobId],
    );
  const job = async (orgId: string, jobId: string) =>
    (await new JobRepository(context.dataSource).find(orgId, jobId))!;

  it('stages chunks of the configured size and releases them with the totals once the whole upload passed', async () => {
    const { jobId, orgId } = await submitted('sites.csv', sites(2500));
    await ingest.ingest(jobId, orgId);
    expect(await chunks(jobId)).toEqual([
      { seq: 0, row_count: 1000, file_ordinal: 0 },
      { seq: 1, row_count: 1000, file_ordinal: 0 },
      { seq: 2, row_count: 500, file_ordinal: 0 },
    ]);
    expect(await job(orgId, jobId)).toMatchObject({
      status: 'IN_PROGRESS',
      chunkCount: 3,
      totalRows: 2500,
      columns: ['Name', 'Multimedia Profile'],
      failureCode: null,
    });
    expect(await new JobViewRepository(context.dataSource).filesOf(orgId, jobId)).toEqual([
      { jobId, ordinal: 0, name: 'sites.csv', rows: 2500, object: 'site' },
    ]);
    const events = new Queue('job-events', {
      connection: redisOptions(context.env['REDIS_URL']),
      prefix: context.queuePrefix,
    });
    try {
      expect(
        (await events.getJobs(['waiting'])).some(
          (j) => j.name === 'ingest-finished' && j.data.jobId === jobId,
        ),
      ).toBe(true);
    } finally {
      await events.close();
    }
  });

  it('starts again from scratch after a crash that left chunks staged, and only nudges once released', async () => {
    const { jobId, orgId } = await submitted('sites.csv', sites(1500));
    await new ChunkRepository(context.dataSource).stage(orgId, {
      jobId,
      seq: 0,
      fileOrdinal: 0,
      rows: serializeRows([{ line: 2, cells: ['Leftover', 'MMP', null] }]),
      keys: ['leftover'],
    });
    await ingest.ingest(jobId, orgId);
    expect(await chunks(jobId)).toEqual([
      { seq: 0, row_count: 1000, file_ordinal: 0 },
      { seq: 1, row_count: 500, file_ordinal: 0 },
    ]);
    await ingest.ingest(jobId, orgId);
    expect(await chunks(jobId)).toHaveLength(2);
    expect((await job(orgId, jobId)).chunkCount).toBe(2);
  });

  it('records a file-level failure and removes every staged chunk', async () => {
    const { jobId, orgId } = await submitted('sites.csv', `${sites(1200)}"broken,MMP\n`);
    await ingest.ingest(jobId, orgId);
    expect(await chunks(jobId)).toEqual([]);
    expect(await job(orgId, jobId)).toMatchObject({
      chunkCount: null,
      failureCode: 'MALFORMED_CSV',
      failureFile: 'sites.csv',
    });
    expect((await job(orgId, jobId)).ingestedAt).not.toBeNull();
  });

  it('marks every copy of a repeated key on its chunk', async () => {
    const { jobId, orgId } = await submitted(
      'sites.csv',
      'Name,Multimedia Profile\nA,M\nB,M\na,M\n',
    );
    await ingest.ingest(jobId, orgId);
    const [chunk] = await context.dataSource.query<
      { rejections: Record<string, { code: string }> }[]
    >(`SELECT rejections FROM chunk WHERE job_id = $1`, [jobId]);
    expect(Object.keys(chunk.rejections).sort()).toEqual(['0', '2']);
    expect(chunk.rejections['0'].code).toBe('DUPLICATE_KEY');
  });

  const rejections = async (jobId: string) => {
    const rows = await context.dataSource.query<
      { seq: number; rejections: Record<string, { code: string; message: string }> | null }[]
    >(`SELECT seq, rejections FROM chunk WHERE job_id = $1 ORDER BY seq`, [jobId]);
    return rows.flatMap((r) =>
      Object.entries(r.rejections ?? {}).map(([index, problem]) => ({
        seq: r.seq,
        index: Number(index),
        ...problem,
      })),
    );
  };

  it('rejects every one of 4999 copies of a key with a message naming three rows and counting the rest', async () => {
    const rows = Array.from({ length: 4999 }, () => 'Dup,MM').join('\n');
    const { jobId, orgId } = await submitted(
      'dupes.csv',
      `Name,Multimedia Profile\n${rows}\nOther,MM\n`,
    );
    await ingest.ingest(jobId, orgId);
    const rejected = await rejections(jobId);
    expect(rejected).toHaveLength(4999);
    expect(new Set(rejected.map((r) => `${r.seq}:${r.index}`)).size).toBe(4999);
    const suffix = '; a site may appear on one row of a job only, so keep one of these rows';
    const message = (where: string) => `Name: 'Dup' is also on ${where} and 4,995 more${suffix}`;
    const byRow = new Map(rejected.map((r) => [r.seq * 1000 + r.index + 2, r.message]));
    expect(byRow.get(2)).toBe(message('row 3, row 4, row 5'));
    expect(byRow.get(3)).toBe(message('row 2, row 4, row 5'));
    expect(byRow.get(5)).toBe(message('row 2, row 3, row 4'));
    expect(byRow.get(5000)).toBe(message('row 2, row 3, row 4'));
    expect(Math.max(...rejected.map((r) => r.message.length))).toBeLessThan(160);
    expect(rejected.every((r) => r.code === 'DUPLICATE_KEY')).toBe(true);
  });

  it('stages a NUL as U+FFFD on a rejected row, so the row and its report can be stored', async () => {
    const { jobId, orgId } = await submitted(
      'nul.csv',
      'Name,Multimedia Profile\nNul1,MM\u0000x\nNulOk,MM\n',
    );
    await ingest.ingest(jobId, orgId);
    const [chunk] = await context.dataSource.query<
      { rows: { cells: string[]; problems?: { code: string; column: string }[] }[] }[]
    >(`SELECT rows FROM chunk WHERE job_id = $1`, [jobId]);
    expect(
      chunk.rows.map((r) => [
        r.cells.slice(0, 2),
        r.problems?.map((p) => [p.code, p.column]) ?? [],
      ]),
    ).toEqual([
      [['Nul1', 'MM\ufffdx'], [['INVALID_VALUE', 'Multimedia Profile']]],
      [['NulOk', 'MM'], []],
    ]);
  });
});
