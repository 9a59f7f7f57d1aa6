import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Queue } from 'bullmq';
import { applyQueueName, JobMode } from '@bulkops/contracts';
import { ChunkRepository, serializeRows, JobRepository, type StagedRow } from '@bulkops/database';
import { startService } from '@bulkops/observability';
import { redisOptions } from '@bulkops/queue';
import { createOrganization, createTestContext, waitFor, type TestContext } from '@bulkops/testing';
import { workerService } from '../worker.service';
import { ApplyChunkService } from './apply-chunk.service';

/** Exactly-once effect (spec/architecture.md): a chunk applied twice changes tables and counts once. */
describe('ApplyChunkService', () => {
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

  /** A released job of one chunk of site rows, as ingest leaves it. */
  async function stagedJob(rows: string[][]): Promise<{ jobId: string; orgId: string }> {
    const org = await createOrganization(context.dataSource);
    const adminId = (
      await context.dataSource.query<{ id: string }[]>(
        `SELECT id FROM administrator WHERE organization_id = $1 LIMIT 1`,
        [org.orgId],
      )
    )[0].id;
    const jobs = new JobRepository(context.dataSource);
    const jobId = randomUUID();
    await jobs.insertActive(org.orgId, {
      id: jobId,
      adminId,
      object: 'site',
      mode: JobMode.Apply,
      fileName: 'sites.csv',
      fileSize: 1,
      uploadKey: 'unused',
      idempotencyKey: null,
    });
    await jobs.markStarted(org.orgId, jobId);
    const staged: StagedRow[] = rows.map((cells, i) => ({ line: i + 2, cells: [...cells, null] }));
    await new ChunkRepository(context.dataSource).stage(org.orgId, {
      jobId,
      seq: 0,
      fileOrdinal: 0,
      rows: serializeRows(staged),
      keys: rows.map((r) => r[0].toLowerCase()),
    });
    await context.dataSource.transaction((m) =>
      jobs.recordRelease(m, org.orgId, jobId, {
        chunkCount: 1,
        totalRows: rows.length,
        columns: ['Name', 'Multimedia Profile'],
        files: [{ name: 'sites.csv', rows: rows.length }],
      }),
    );
    return { jobId, orgId: org.orgId };
  }

  async function state(jobId: string, orgId: string) {
    return {
      sites: await context.dataSource.query(
        `SELECT name, multimedia_profile, created_at, updated_at FROM site WHERE organization_id = $1 ORDER BY name`,
        [orgId],
      ),
      ledger: await context.dataSource.query(
        `SELECT seq, rows, created, updated, deleted, unchanged, failed FROM chunk_ledger WHERE job_id = $1`,
        [jobId],
      ),
      errors: await context.dataSource.query(
        `SELECT source_row, message FROM row_error WHERE job_id = $1`,
        [jobId],
      ),
    };
  }

  const ROWS = [
    ['Austin', 'MMP'],
    ['Denver', 'MMP'],
    ['Bad!', 'MMP'],
  ];

  it('applies a chunk once when it is delivered twice in a row', async () => {
    const { jobId, orgId } = await stagedJob(ROWS);
    await service.apply({ jobId, orgId, object: 'site', chunk: 0 });
    const once = await state(jobId, orgId);
    expect(once.ledger).toEqual([
      { seq: 0, rows: 3, created: 2, updated: 0, deleted: 0, unchanged: 0, failed: 1 },
    ]);
    expect(once.errors).toHaveLength(1);
    await service.apply({ jobId, orgId, object: 'site', chunk: 0 });
    expect(await state(jobId, orgId)).toEqual(once);
  });

  it('applies a chunk once when two deliveries race', async () => {
    const { jobId, orgId } = await stagedJob(ROWS);
    await Promise.all(
      [0, 1, 2].map(() => service.apply({ jobId, orgId, object: 'site', chunk: 0 })),
    );
    const after = await state(jobId, orgId);
    expect(after.ledger).toEqual([
      { seq: 0, rows: 3, created: 2, updated: 0, deleted: 0, unchanged: 0, failed: 1 },
    ]);
    expect(after.sites.map((s: { name: string }) => s.name)).toEqual(['Austin', 'Denver']);
  });

  it('applies a chunk once when real BullMQ replays its job', async () => {
    const { jobId, orgId } = await stagedJob(ROWS);
    const queue = new Queue(applyQueueName('site'), {
      connection: redisOptions(context.env['REDIS_URL']),
      prefix: context.queuePrefix,
    });
    try {
      const payload = { jobId, orgId, object: 'site', chunk: 0 };
      // Two distinct queue jobs for one chunk: what a restored Redis or a duplicate enqueue delivers.
      const first = await queue.add('apply-chunk', payload, { jobId: `${jobId}.0` });
      await waitFor(
        'the first delivery to complete',
        async () => (await first.isCompleted()) || undefined,
      );
      const once = await state(jobId, orgId);
      const replay = await queue.add('apply-chunk', payload, { jobId: `${jobId}.0.replay` });
      await waitFor(
        'the replay to complete',
        async () => (await replay.isCompleted()) || undefined,
      );
      expect(await state(jobId, orgId)).toEqual(once);
      expect(once.ledger).toHaveLength(1);
    } finally {
      await queue.close();
    }
  });

  it('does nothing for a chunk of a job that is no longer active', async () => {
    const { jobId, orgId } = await stagedJob(ROWS);
    await context.dataSource.query(`UPDATE job SET status = 'CANCELLED' WHERE id = $1`, [jobId]);
    await service.apply({ jobId, orgId, object: 'site', chunk: 0 });
    expect(await state(jobId, orgId)).toEqual({ sites: [], ledger: [], errors: [] });
  });

  it('rolls a chunk back whole when a cancel commits while its rows are being applied', async () => {
    const { jobId, orgId } = await stagedJob(ROWS);
    const cancel = context.dataSource.createQueryRunner();
    await cancel.connect();
    try {
      // The cancel holds the job row while the worker applies: its last check must wait for it.
      await cancel.startTransaction();
      await cancel.query(`UPDATE job SET cancel_requested_at = now() WHERE id = $1`, [jobId]);
      const applying = service.apply({ jobId, orgId, object: 'site', chunk: 0 });
      await waitFor('the chunk to wait for the cancel at its commit check', async () => {
        const waiting: unknown[] = await context.dataSource.query(
          `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%FOR SHARE%'`,
        );
        return waiting.length > 0 || undefined;
      });
      await cancel.commitTransaction();
      await applying;
    } finally {
      await cancel.release();
    }
    expect(await state(jobId, orgId)).toEqual({ sites: [], ledger: [], errors: [] });
  });

  it('gives a chunk that fails every try up as NOT_APPLIED row errors after WORKER_CHUNK_MAX_TRIES', async () => {
    const { jobId, orgId } = await stagedJob(ROWS);
    // A staged row the worker cannot read: the apply throws on every try, as a bug would.
    await context.dataSource.query(
      `UPDATE chunk SET rows = json_build_array(json_build_object('line', 2), rows->1, rows->2) WHERE job_id = $1`,
      [jobId],
    );
    const payload = { jobId, orgId, object: 'site', chunk: 0 };
    for (let attempt = 1; attempt < 5; attempt += 1) {
      await expect(service.apply(payload)).rejects.toThrow();
      expect((await state(jobId, orgId)).ledger).toEqual([]);
    }
    await service.apply(payload);
    const after = await state(jobId, orgId);
    expect(after.sites).toEqual([]);
    expect(after.ledger).toEqual([
      { seq: 0, rows: 3, created: 0, updated: 0, deleted: 0, unchanged: 0, failed: 3 },
    ]);
    expect(after.errors).toHaveLength(3);
    for (const error of after.errors as { message: string }[]) {
      expect(error.message).toMatch(
        /^Not applied: this row's part of the file could not be applied after 5 attempts \(an unexpected error on our side\); nothing of it was changed, and it can be uploaded again\.$/,
      );
    }
  });

  it('gives up a chunk whose worker died on every try, without trying it again', async () => {
    const { jobId, orgId } = await stagedJob(ROWS);
    const chunks = new ChunkRepository(context.dataSource);
    for (let crash = 0; crash < 5; crash += 1) await chunks.noteTry(orgId, jobId, 0);
    await service.apply({ jobId, orgId, object: 'site', chunk: 0 });
    const after = await state(jobId, orgId);
    expect(after.sites).toEqual([]);
    expect(after.ledger).toMatchObject([{ seq: 0, rows: 3, failed: 3 }]);
    expect((after.errors as { message: string }[]).map((e) => e.message)).toEqual(
      Array(3).fill(
        "Not applied: this row's part of the file could not be applied after 5 attempts (the worker stopped each time while applying it); nothing of it was changed, and it can be uploaded again.",
      ),
    );
  });
});
