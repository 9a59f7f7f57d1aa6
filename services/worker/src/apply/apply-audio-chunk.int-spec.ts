import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import type { INestApplication } from '@nestjs/common';
import { JobMode } from '@bulkops/contracts';
import { ChunkRepository, serializeRows, JobRepository, type StagedRow } from '@bulkops/database';
import { startService } from '@bulkops/observability';
import { StorageKeys, StorageService } from '@bulkops/storage';
import {
  buildWav,
  createOrganization,
  createTestContext,
  type TestContext,
} from '@bulkops/testing';
import { workerService } from '../worker.service';
import { ApplyChunkService } from './apply-chunk.service';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** What a media reader stages for one .wav file: its cells (no manifest row), content and source. */
function wavRow(line: number, name: string, bytes: Buffer): StagedRow {
  return {
    line,
    cells: [name, null, null],
    source: { file: name, line: null, where: `in the zip as ${name}` },
    content: {
      sha256: sha256(bytes),
      sizeBytes: bytes.length,
      encoding: 'MULAW',
      sampleRate: 8000,
      channels: 1,
      bitsPerSample: 8,
    },
  };
}

function deleteRow(line: number, name: string): StagedRow {
  return {
    line,
    cells: [name, null, 'DELETE'],
    source: { file: 'audio-files.csv', line, where: `on row ${line} of audio-files.csv` },
  };
}

/** Exactly-once effect for rows with content: a chunk applied twice keeps its rows and its blobs once. */
describe('ApplyChunkService with audio files', () => {
  let context: TestContext;
  let app: INestApplication;
  let service: ApplyChunkService;
  let storage: StorageService;

  beforeAll(async () => {
    context = await createTestContext();
    app = await startService(workerService, { ...context.env, PORT: '0' });
    service = app.get(ApplyChunkService);
    storage = app.get(StorageService);
  });

  afterAll(async () => {
    await app?.close();
    await context?.dispose();
  });

  /** A released audio job whose chunks hold `chunks`, its upload's bytes staged as ingest leaves them. */
  async function stagedJob(
    orgId: string,
    chunks: StagedRow[][],
    staged: Buffer[],
    mode = JobMode.Apply,
  ): Promise<string> {
    const [{ id: adminId }] = await context.dataSource.query<{ id: string }[]>(
      `SELECT id FROM administrator WHERE organization_id = $1 LIMIT 1`,
      [orgId],
    );
    const jobs = new JobRepository(context.dataSource);
    const jobId = randomUUID();
    await jobs.insertActive(orgId, {
      id: jobId,
      adminId: adminId,
      object: 'audio-file',
      mode,
      fileName: 'prompts.zip',
      fileSize: 1,
      uploadKey: 'unused',
      idempotencyKey: null,
    });
    await jobs.markStarted(orgId, jobId);
    for (const bytes of staged)
      await storage.put(StorageKeys.stagedBlob(jobId, sha256(bytes)), Readable.from([bytes]));
    for (const [seq, rows] of chunks.entries()) {
      await new ChunkRepository(context.dataSource).stage(orgId, {
        jobId,
        seq,
        fileOrdinal: 0,
        rows: serializeRows(rows),
        keys: rows.map((r) => r.cells[0]!.toLowerCase()),
      });
    }
    const total = chunks.flat().length;
    await context.dataSource.transaction((m) =>
      jobs.recordRelease(m, orgId, jobId, {
        chunkCount: chunks.length,
        totalRows: total,
        columns: ['Name', 'Description', 'Action'],
        files: [{ name: 'prompts.zip', rows: total }],
      }),
    );
    return jobId;
  }

  /** Kept blobs of the organization: sha256 → bytes. */
  async function blobs(orgId: string): Promise<Record<string, Buffer>> {
    const dir = join(context.storageDir, dirname(StorageKeys.blob(orgId, 'audio-file', 'x')));
    const found: Record<string, Buffer> = {};
    for (const name of await readdir(dir).catch(() => [] as string[]))
      found[name] = await readFile(join(dir, name));
    return found;
  }

  async function state(jobId: string, orgId: string) {
    return {
      files: await context.dataSource.query(
        `SELECT name, sha256, size_bytes, created_at, updated_at FROM audio_file WHERE organization_id = $1 ORDER BY key_norm`,
        [orgId],
      ),
      ledger: await context.dataSource.query(
        `SELECT seq, rows, created, updated, deleted, unchanged, failed FROM chunk_ledger WHERE job_id = $1 ORDER BY seq`,
        [jobId],
      ),
      blobs: await blobs(orgId),
    };
  }

  it('applies an audio chunk once when it is delivered twice, keeping each blob once', async () => {
    const org = await createOrganization(context.dataSource);
    const welcome = buildWav({ seed: 1 });
    const menu = buildWav({ seed: 2 });
    const jobId = await stagedJob(
      org.orgId,
      [
        [
          wavRow(1, 'welcome.wav', welcome),
          wavRow(2, 'menu.wav', menu),
          wavRow(3, 'copy.wav', menu),
        ],
      ],
      [welcome, menu],
    );
    await service.apply({ jobId, orgId: org.orgId, object: 'audio-file', chunk: 0 });
    const once = await state(jobId, org.orgId);
    expect(once.ledger).toEqual([
      { seq: 0, rows: 3, created: 3, updated: 0, deleted: 0, unchanged: 0, failed: 0 },
    ]);
    expect(once.blobs).toEqual({ [sha256(welcome)]: welcome, [sha256(menu)]: menu });
    await service.apply({ jobId, orgId: org.orgId, object: 'audio-file', chunk: 0 });
    expect(await state(jobId, org.orgId)).toEqual(once);
  });

  it('keeps a blob again when a first attempt kept it but never committed', async () => {
    const org = await createOrganization(context.dataSource);
    const welcome = buildWav({ seed: 3 });
    const jobId = await stagedJob(org.orgId, [[wavRow(1, 'welcome.wav', welcome)]], [welcome]);
    // What a worker killed between keeping the bytes and committing leaves behind: the blob, no row.
    await storage.put(
      StorageKeys.blob(org.orgId, 'audio-file', sha256(welcome)),
      Readable.from([welcome]),
    );
    await service.apply({ jobId, orgId: org.orgId, object: 'audio-file', chunk: 0 });
    const after = await state(jobId, org.orgId);
    expect(after.files).toMatchObject([{ name: 'welcome.wav', sha256: sha256(welcome) }]);
    expect(after.blobs).toEqual({ [sha256(welcome)]: welcome });
  });

  it('keeps no blob in validate mode', async () => {
    const org = await createOrganization(context.dataSource);
    const welcome = buildWav({ seed: 4 });
    const jobId = await stagedJob(
      org.orgId,
      [[wavRow(1, 'welcome.wav', welcome)]],
      [welcome],
      JobMode.Validate,
    );
    await service.apply({ jobId, orgId: org.orgId, object: 'audio-file', chunk: 0 });
    const after = await state(jobId, org.orgId);
    expect(after.ledger).toEqual([
      { seq: 0, rows: 1, created: 1, updated: 0, deleted: 0, unchanged: 0, failed: 0 },
    ]);
    expect(after.files).toEqual([]);
    expect(after.blobs).toEqual({});
  });

  it('never removes bytes a concurrent chunk is about to name', async () => {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const org = await createOrganization(context.dataSource);
      const shared = buildWav({ seed: 10 + attempt });
      const setup = await stagedJob(org.orgId, [[wavRow(1, 'old.wav', shared)]], [shared]);
      await service.apply({ jobId: setup, orgId: org.orgId, object: 'audio-file', chunk: 0 });
      await context.dataSource.query(`UPDATE job SET status = 'COMPLETED' WHERE id = $1`, [setup]);
      // One chunk deletes the only file naming the bytes while another gives them a new name.
      const jobId = await stagedJob(
        org.orgId,
        [[deleteRow(2, 'old.wav')], [wavRow(3, 'new.wav', shared)]],
        [shared],
      );
      await Promise.all(
        [0, 1].map((chunk) =>
          service.apply({ jobId, orgId: org.orgId, object: 'audio-file', chunk }),
        ),
      );
      const after = await state(jobId, org.orgId);
      expect(after.files.map((f: { name: string }) => f.name)).toEqual(['new.wav']);
      expect(after.blobs).toEqual({ [sha256(shared)]: shared });
    }
  });

  it('records the manifest columns of media rows only, and an update of the bytes alone', async () => {
    const org = await createOrganization(context.dataSource);
    const first = buildWav({ seed: 20 });
    const second = buildWav({ seed: 21 });
    const changes = (jobId: string) =>
      context.dataSource.query(
        `SELECT object, action, key_display AS key, before, after, source_row AS "sourceRow"
           FROM job_change WHERE job_id = $1 ORDER BY chunk_seq, row_index`,
        [jobId],
      );
    const created = await stagedJob(org.orgId, [[wavRow(1, 'welcome.wav', first)]], [first]);
    await service.apply({ jobId: created, orgId: org.orgId, object: 'audio-file', chunk: 0 });
    await context.dataSource.query(`UPDATE job SET status = 'COMPLETED' WHERE id = $1`, [created]);
    expect(await changes(created)).toEqual([
      {
        object: 'audio-file',
        action: 'create',
        key: 'welcome.wav',
        before: null,
        after: ['welcome.wav', null],
        sourceRow: 1,
      },
    ]);
    // New bytes under the same name: an update whose manifest columns did not change.
    const replaced = await stagedJob(org.orgId, [[wavRow(1, 'welcome.wav', second)]], [second]);
    await service.apply({ jobId: replaced, orgId: org.orgId, object: 'audio-file', chunk: 0 });
    expect(await changes(replaced)).toEqual([
      {
        object: 'audio-file',
        action: 'update',
        key: 'welcome.wav',
        before: ['welcome.wav', null],
        after: ['welcome.wav', null],
        sourceRow: 1,
      },
    ]);
  });
});
