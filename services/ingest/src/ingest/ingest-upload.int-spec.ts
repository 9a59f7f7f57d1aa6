import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { INestApplication } from '@nestjs/common';
import { Queue } from 'bullmq';
import { JobMode } from '@bulkops/contracts';
import { ChunkRepository, JobRepository, JobViewRepository } from '@bulkops/database';
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
      { jobId, ordinal: 0, name: 'sites.csv', rows: 2500 },
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
      rows: [{ line: 2, cells: ['Leftover', 'MMP', null] }],
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
});
