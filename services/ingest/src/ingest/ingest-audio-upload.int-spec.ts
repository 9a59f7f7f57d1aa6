import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { INestApplication } from '@nestjs/common';
import { JobMode } from '@bulkops/contracts';
import { JobRepository, JobViewRepository } from '@bulkops/database';
import { startService } from '@bulkops/observability';
import { StorageKeys, StorageService } from '@bulkops/storage';
import {
  buildWav,
  buildZip,
  createOrganization,
  createTestContext,
  mp3Bytes,
  WavFormat,
  type TestContext,
} from '@bulkops/testing';
import { ingestService } from '../ingest.service';
import { IngestUploadService } from './ingest-upload.service';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Reading an audio upload (objects.md §17) through the audio-file media hooks, with real storage. */
describe('IngestUploadService with an audio zip', () => {
  let context: TestContext;
  let app: INestApplication;
  let ingest: IngestUploadService;

  beforeAll(async () => {
    context = await createTestContext({ INGEST_CHUNK_SIZE: '2' });
    app = await startService(ingestService, { ...context.env, PORT: '0', INGEST_CONCURRENCY: '1' });
    ingest = app.get(IngestUploadService);
  });

  afterAll(async () => {
    await app?.close();
    await context?.dispose();
  });

  async function submitted(zip: Buffer): Promise<{ jobId: string; orgId: string }> {
    const org = await createOrganization(context.dataSource);
    const [{ id: adminId }] = await context.dataSource.query<{ id: string }[]>(
      `SELECT id FROM administrator WHERE organization_id = $1 LIMIT 1`,
      [org.orgId],
    );
    const jobId = randomUUID();
    await app.get(StorageService).put(StorageKeys.upload(jobId), Readable.from([zip]));
    await new JobRepository(context.dataSource).insertActive(org.orgId, {
      id: jobId,
      adminId: adminId,
      object: 'audio-file',
      mode: JobMode.Apply,
      fileName: 'prompts.zip',
      fileSize: zip.length,
      uploadKey: StorageKeys.upload(jobId),
      idempotencyKey: null,
    });
    return { jobId, orgId: org.orgId };
  }

  const staged = (jobId: string) =>
    context.dataSource.query(
      `SELECT seq, file_ordinal, rows::jsonb AS rows, keys FROM chunk WHERE job_id = $1 ORDER BY seq`,
      [jobId],
    );

  /** What the job keeps in storage besides its upload: staged blob name → bytes, and leftovers. */
  async function jobStorage(
    jobId: string,
  ): Promise<{ blobs: Record<string, Buffer>; incoming: string[] }> {
    const dir = join(context.storageDir, StorageKeys.job(jobId));
    const blobs: Record<string, Buffer> = {};
    for (const name of await readdir(join(dir, 'blobs')).catch(() => [] as string[]))
      blobs[name] = await readFile(join(dir, 'blobs', name));
    return {
      blobs,
      incoming: await readdir(join(dir, 'incoming-blobs')).catch(() => [] as string[]),
    };
  }

  it('stages one row per file with its content and source, and stores only the bytes of accepted files', async () => {
    const welcome = buildWav({ formatTag: WavFormat.MULAW, seed: 1 });
    const survey = buildWav({ formatTag: WavFormat.PCM, bitsPerSample: 16, seed: 2 });
    const zip = await buildZip([
      { name: 'audio-files.csv', content: 'Name,Description\r\nwelcome.wav,Hello\r\n' },
      { name: 'welcome.wav', content: welcome },
      { name: 'survey.wav', content: survey },
      { name: 'song.wav', content: mp3Bytes() },
      { name: '__MACOSX/._welcome.wav', content: 'resource fork' },
    ]);
    const { jobId, orgId } = await submitted(zip);
    await ingest.ingest(jobId, orgId);

    const job = (await new JobRepository(context.dataSource).find(orgId, jobId))!;
    expect(job).toMatchObject({
      chunkCount: 2,
      totalRows: 3,
      columns: ['Name', 'Description', 'Action'],
      failureCode: null,
    });
    expect(await new JobViewRepository(context.dataSource).filesOf(orgId, jobId)).toEqual([
      { jobId, ordinal: 0, name: 'prompts.zip', rows: 3, object: 'audio-file' },
    ]);
    const content = (bytes: Buffer, encoding: string, bits: number) => ({
      sha256: sha256(bytes),
      sizeBytes: bytes.length,
      encoding,
      sampleRate: 8000,
      channels: 1,
      bitsPerSample: bits,
    });
    expect(await staged(jobId)).toEqual([
      {
        seq: 0,
        file_ordinal: 0,
        keys: ['welcome.wav', 'song.wav'],
        rows: [
          {
            line: 1,
            cells: ['welcome.wav', 'Hello', null],
            source: {
              file: 'welcome.wav',
              line: 2,
              where: 'on row 2 of audio-files.csv (the file welcome.wav)',
            },
            content: content(welcome, 'MULAW', 8),
          },
          {
            line: 2,
            cells: ['song.wav', null, null],
            source: { file: 'song.wav', line: null, where: 'in the zip as song.wav' },
            problems: [
              {
                code: 'INVALID_VALUE',
                column: 'Name',
                message:
                  "song.wav: the file starts with 'ID3' instead of 'RIFF', so it is not a WAV file (the name alone does not make one); convert the file (e.g. sox in.mp3 -r 8000 -c 1 -e u-law out.wav)",
              },
            ],
          },
        ],
      },
      {
        seq: 1,
        file_ordinal: 0,
        keys: ['survey.wav'],
        rows: [
          {
            line: 3,
            cells: ['survey.wav', null, null],
            source: { file: 'survey.wav', line: null, where: 'in the zip as survey.wav' },
            content: content(survey, 'PCM', 16),
          },
        ],
      },
    ]);
    expect(await jobStorage(jobId)).toEqual({
      blobs: { [sha256(welcome)]: welcome, [sha256(survey)]: survey },
      incoming: [],
    });
  });

  it('stages the same rows and blobs when the upload is read again from the start', async () => {
    const welcome = buildWav({ seed: 3 });
    const { jobId, orgId } = await submitted(
      await buildZip([
        { name: 'welcome.wav', content: welcome },
        { name: 'copy.wav', content: welcome },
      ]),
    );
    await ingest.ingest(jobId, orgId);
    const first = { chunks: await staged(jobId), storage: await jobStorage(jobId) };
    // What a restarted ingest finds after dying mid-read: a job not yet released.
    await context.dataSource.query(
      `UPDATE job SET ingested_at = NULL, chunk_count = NULL WHERE id = $1`,
      [jobId],
    );
    await ingest.ingest(jobId, orgId);
    expect({ chunks: await staged(jobId), storage: await jobStorage(jobId) }).toEqual(first);
    expect(Object.keys(first.storage.blobs)).toEqual([sha256(welcome)]);
  });

  it('fails the job when the manifest cannot be read, staging nothing', async () => {
    const { jobId, orgId } = await submitted(
      await buildZip([
        { name: 'audio-files.csv', content: 'File,Description\r\nx.wav,\r\n' },
        { name: 'x.wav', content: buildWav() },
      ]),
    );
    await ingest.ingest(jobId, orgId);
    expect(await new JobRepository(context.dataSource).find(orgId, jobId)).toMatchObject({
      failureCode: 'UNKNOWN_COLUMN',
      failureMessage:
        "audio-files.csv has an unknown column 'File' (header column 1); the audio file columns are Name, Description, Action",
      failureFile: 'audio-files.csv',
    });
    expect(await staged(jobId)).toEqual([]);
  });
});
