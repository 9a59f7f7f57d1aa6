import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { INestApplication } from '@nestjs/common';
import { JobMode } from '@bulkops/contracts';
import { JobRepository, JobViewRepository } from '@bulkops/database';
import { startService } from '@bulkops/observability';
import { StorageKeys, StorageService } from '@bulkops/storage';
import {
  buildZip,
  createOrganization,
  createTestContext,
  type TestContext,
} from '@bulkops/testing';
import { ingestService } from '../ingest.service';
import { IngestUploadService } from './ingest-upload.service';

/** Ingest of a bundle (spec/api.md "Bundles"): every file judged first, rows staged by phase. */
describe('IngestUploadService with a bundle', () => {
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

  async function ingested(entries: { name: string; content: string }[]) {
    const org = await createOrganization(context.dataSource);
    const [{ id: adminId }] = await context.dataSource.query<{ id: string }[]>(
      `SELECT id FROM administrator WHERE organization_id = $1 LIMIT 1`,
      [org.orgId],
    );
    const jobId = randomUUID();
    const zip = await buildZip(entries);
    await app.get(StorageService).put(StorageKeys.upload(jobId), Readable.from([zip]));
    await new JobRepository(context.dataSource).insertActive(org.orgId, {
      id: jobId,
      adminId,
      object: 'bundle',
      mode: JobMode.Apply,
      fileName: 'bundle.zip',
      fileSize: zip.length,
      uploadKey: StorageKeys.upload(jobId),
      idempotencyKey: null,
    });
    await ingest.ingest(jobId, org.orgId);
    const job = (await new JobRepository(context.dataSource).find(org.orgId, jobId))!;
    return { jobId, orgId: org.orgId, job };
  }

  const chunks = (jobId: string) =>
    context.dataSource.query<
      { seq: number; object: string; phase: number; file_ordinal: number; lines: number[] }[]
    >(
      `SELECT seq, object, phase, file_ordinal,
              (SELECT array_agg((r->>'line')::int) FROM json_array_elements(rows) r) AS lines
         FROM chunk WHERE job_id = $1 ORDER BY phase, seq`,
      [jobId],
    );

  it('stages each file under its type, creates in dependency order and deletes in reverse after them', async () => {
    const { jobId, orgId, job } = await ingested([
      {
        name: 'team-b.csv',
        content: 'Name,Site,Type,Action\nSales,Austin,AGENT,\nOld,Austin,,DELETE\n',
      },
      { name: 'site.csv', content: 'Name,Multimedia Profile,Action\nAustin,MMP,\nGone,,DELETE\n' },
    ]);
    expect(job).toMatchObject({ failureCode: null, chunkCount: 4, totalRows: 4 });
    expect(await new JobViewRepository(context.dataSource).filesOf(orgId, jobId)).toEqual([
      { jobId, ordinal: 0, name: 'site.csv', rows: 2, object: 'site' },
      { jobId, ordinal: 1, name: 'team-b.csv', rows: 2, object: 'team' },
    ]);
    const staged = await chunks(jobId);
    expect(staged.map((c) => [c.object, c.file_ordinal, c.lines])).toEqual([
      ['site', 0, [2]],
      ['team', 1, [2]],
      ['team', 1, [3]],
      ['site', 0, [3]],
    ]);
    const phases = staged.map((c) => c.phase);
    expect(phases).toEqual([...phases].sort((a, b) => a - b));
    expect(new Set(phases).size).toBe(4);

    const targets = await context.dataSource.query<unknown[]>(
      `SELECT object, key_norm, leaf_norm, key_display, place FROM bundle_target
        WHERE job_id = $1 ORDER BY file_ordinal, line`,
      [jobId],
    );
    expect(targets).toEqual([
      {
        object: 'site',
        key_norm: 'austin',
        leaf_norm: 'austin',
        key_display: 'Austin',
        place: 'site.csv row 2',
      },
      {
        object: 'team',
        key_norm: 'austin/sales',
        leaf_norm: 'sales',
        key_display: 'Austin/Sales',
        place: 'team-b.csv row 2',
      },
    ]);
  });

  it('finds duplicate keys within a type only', async () => {
    const { jobId } = await ingested([
      { name: 'site.csv', content: 'Name,Multimedia Profile\nMain,MMP\nMain,MMP\n' },
      { name: 'work-type.csv', content: 'Name,Type\nMain,IDLE_CODE\n' },
    ]);
    const rejected = await context.dataSource.query<{ object: string; rejections: object }[]>(
      `SELECT object, rejections FROM chunk WHERE job_id = $1 AND rejections IS NOT NULL`,
      [jobId],
    );
    expect(rejected.map((r) => [r.object, Object.keys(r.rejections)])).toEqual([
      ['site', ['0', '1']],
    ]);
  });

  it.each([
    ['another folder', 'notes/site.csv'],
    ['a folder inside the media folder', 'audio-file/old/hello.wav'],
    ['a file of no type', 'sites.csv'],
  ])('fails on %s naming the entry, with nothing staged', async (_what, entry) => {
    const { jobId, job } = await ingested([
      { name: 'site.csv', content: 'Name,Multimedia Profile\nAustin,MMP\n' },
      { name: entry, content: 'Name\nx\n' },
    ]);
    expect(job).toMatchObject({ failureCode: 'UNEXPECTED_ZIP_ENTRY', failureFile: entry });
    expect(await chunks(jobId)).toEqual([]);
    const [{ n }] = await context.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM bundle_target WHERE job_id = $1`,
      [jobId],
    );
    expect(n).toBe(0);
  });
});
