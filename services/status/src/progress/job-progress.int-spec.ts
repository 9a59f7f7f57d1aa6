import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Queue } from 'bullmq';
import { JobMode } from '@bulkops/contracts';
import { ChunkRepository, serializeRows, JobRepository, LedgerRepository } from '@bulkops/database';
import { OrgLock } from '@bulkops/mutex';
import { startService } from '@bulkops/observability';
import { redisOptions } from '@bulkops/queue';
import { createOrganization, createTestContext, type TestContext } from '@bulkops/testing';
import { statusService } from '../status.service';
import { JobProgressService } from './job-progress.service';
import { StuckJobReaper } from './stuck-job-reaper.service';

describe('status: progress, final status, dispatch and the reaper', () => {
  let context: TestContext;
  let app: INestApplication;
  let progress: JobProgressService;
  let reaper: StuckJobReaper;
  let lock: OrgLock;

  beforeAll(async () => {
    context = await createTestContext();
    // The reaper's own tick is pushed far out: these tests call it with a chosen clock.
    app = await startService(statusService, {
      ...context.env,
      PORT: '0',
      STATUS_REAP_INTERVAL_MS: '3600000',
      STATUS_CHUNK_WINDOW: '8',
      STATUS_RECOVER_AFTER_MS: '60000',
      STATUS_STUCK_AFTER_MS: '600000',
    });
    progress = app.get(JobProgressService);
    reaper = app.get(StuckJobReaper);
    lock = app.get(OrgLock);
  });

  afterAll(async () => {
    await app?.close();
    await context?.dispose();
  });

  const jobs = () => new JobRepository(context.dataSource);

  /** A job as the gateway leaves it, optionally released by ingest with `chunks` staged chunks. */
  async function activeJob(chunks: number | null): Promise<{ jobId: string; orgId: string }> {
    const org = await createOrganization(context.dataSource);
    const [{ id: adminId }] = await context.dataSource.query<{ id: string }[]>(
      `SELECT id FROM administrator WHERE organization_id = $1 LIMIT 1`,
      [org.orgId],
    );
    const jobId = randomUUID();
    await jobs().insertActive(org.orgId, {
      id: jobId,
      adminId: adminId,
      object: 'site',
      mode: JobMode.Apply,
      fileName: 'f.csv',
      fileSize: 1,
      uploadKey: 'k',
      idempotencyKey: null,
    });
    expect((await lock.acquire(org.orgId, jobId)).acquired).toBe(true);
    if (chunks !== null) {
      await jobs().markStarted(org.orgId, jobId);
      for (let seq = 0; seq < chunks; seq += 1) {
        await new ChunkRepository(context.dataSource).stage(org.orgId, {
          jobId,
          seq,
          fileOrdinal: 0,
          rows: serializeRows([{ line: seq + 2, cells: [`S${seq}`, 'M', null] }]),
          keys: [`s${seq}`],
        });
      }
      await context.dataSource.transaction((m) =>
        jobs().recordRelease(m, org.orgId, jobId, {
          chunkCount: chunks,
          totalRows: chunks * 10,
          columns: ['Name'],
          files: [{ name: 'f.csv', rows: chunks * 10 }],
        }),
      );
    }
    return { jobId, orgId: org.orgId };
  }

  async function ledger(
    jobId: string,
    orgId: string,
    seq: number,
    counts: { created: number; failed: number },
  ) {
    await context.dataSource.transaction((m) =>
      new LedgerRepository().record(m, orgId, jobId, {
        seq,
        rows: 10,
        created: counts.created,
        updated: 0,
        deleted: 0,
        unchanged: 10 - counts.created - counts.failed,
        failed: counts.failed,
      }),
    );
  }

  async function waitingApplyJobs(jobId: string): Promise<number[]> {
    const queue = new Queue('apply.site', {
      connection: redisOptions(context.env['REDIS_URL']),
      prefix: context.queuePrefix,
    });
    try {
      return (await queue.getJobs(['waiting']))
        .filter((j) => j.data.jobId === jobId)
        .map((j) => j.data.chunk as number)
        .sort((a, b) => a - b);
    } finally {
      await queue.close();
    }
  }

  it('derives counts from the ledger and finishes the job once every chunk is in it, releasing the lock', async () => {
    const { jobId, orgId } = await activeJob(2);
    await ledger(jobId, orgId, 0, { created: 10, failed: 0 });
    await progress.refresh(orgId, jobId);
    await progress.refresh(orgId, jobId);
    expect(await jobs().find(orgId, jobId)).toMatchObject({
      status: 'IN_PROGRESS',
      processedRows: 10,
      createdRows: 10,
      finishedAt: null,
    });
    expect(await lock.holder(orgId)).toBe(jobId);
    await ledger(jobId, orgId, 1, { created: 7, failed: 3 });
    await progress.refresh(orgId, jobId);
    expect(await jobs().find(orgId, jobId)).toMatchObject({
      status: 'COMPLETED_WITH_ERRORS',
      processedRows: 20,
      createdRows: 17,
      unchangedRows: 0,
      failedRows: 3,
    });
    expect((await jobs().find(orgId, jobId))!.finishedAt).not.toBeNull();
    expect(await lock.holder(orgId)).toBeNull();
    expect(
      await context.dataSource.query(`SELECT count(*)::int AS n FROM chunk WHERE job_id = $1`, [
        jobId,
      ]),
    ).toEqual([{ n: 0 }]);
  });

  it('fails a job whose upload ingest rejected', async () => {
    const { jobId, orgId } = await activeJob(null);
    await jobs().markStarted(orgId, jobId);
    await jobs().recordIngestFailure(orgId, jobId, {
      code: 'EMPTY_FILE',
      message: 'f.csv is empty',
      file: 'f.csv',
    });
    await progress.refresh(orgId, jobId);
    expect(await jobs().find(orgId, jobId)).toMatchObject({
      status: 'FAILED',
      failureCode: 'EMPTY_FILE',
    });
    expect(await lock.holder(orgId)).toBeNull();
  });

  it('keeps only a window of a big job on the apply queue, moving it as chunks are applied', async () => {
    const { jobId, orgId } = await activeJob(20);
    await progress.refresh(orgId, jobId);
    expect(await waitingApplyJobs(jobId)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    await ledger(jobId, orgId, 0, { created: 10, failed: 0 });
    await ledger(jobId, orgId, 1, { created: 10, failed: 0 });
    await progress.refresh(orgId, jobId);
    expect(await waitingApplyJobs(jobId)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('re-sends the ingest of a job a lost Redis forgot, and takes a vanished lock again', async () => {
    const { jobId, orgId } = await activeJob(null);
    await lock.release(orgId, jobId);
    await reaper.reap(Date.now() + 120_000);
    expect(await lock.holder(orgId)).toBe(jobId);
    const queue = new Queue('ingest', {
      connection: redisOptions(context.env['REDIS_URL']),
      prefix: context.queuePrefix,
    });
    try {
      expect((await queue.getJob(`ingest-${jobId}.a1`))?.data).toEqual({
        jobId,
        orgId,
        attempt: 1,
      });
    } finally {
      await queue.close();
    }
  });

  it('fails a job that made no progress for too long and releases its lock', async () => {
    const { jobId, orgId } = await activeJob(3);
    await reaper.reap(Date.now() + 3_600_000);
    expect(await jobs().find(orgId, jobId)).toMatchObject({
      status: 'FAILED',
      failureCode: 'JOB_STALLED',
    });
    expect(await lock.holder(orgId)).toBeNull();
  });

  it('ends a cancelled job CANCELLED: applied chunks counted, the others settled as row errors, the lock released', async () => {
    const { jobId, orgId } = await activeJob(3);
    await ledger(jobId, orgId, 0, { created: 10, failed: 0 });
    expect(await jobs().requestCancel(orgId, jobId)).toBe('requested');
    expect(await jobs().requestCancel(orgId, jobId)).toBe('requested');
    await progress.refresh(orgId, jobId);
    expect(await jobs().find(orgId, jobId)).toMatchObject({
      status: 'CANCELLED',
      processedRows: 12,
      createdRows: 10,
      failedRows: 2,
    });
    expect(await lock.holder(orgId)).toBeNull();
    expect(
      await context.dataSource.query(
        `SELECT source_row, codes, message FROM row_error WHERE job_id = $1 ORDER BY source_row`,
        [jobId],
      ),
    ).toEqual(
      [3, 4].map((line) => ({
        source_row: line,
        codes: ['NOT_APPLIED'],
        message: expect.stringMatching(/^Not applied: the job was cancelled/) as string,
      })),
    );
    expect(await jobs().requestCancel(orgId, jobId)).toBe('not-active');
    expect(await jobs().requestCancel(orgId, randomUUID())).toBe('not-found');
  });

  it('dispatches a chunk again as a new queue job once its delivery is stale and its queue job lost, never while it still waits', async () => {
    const { jobId, orgId } = await activeJob(3);
    await progress.refresh(orgId, jobId);
    expect(await waitingApplyJobs(jobId)).toEqual([0, 1, 2]);
    await ledger(jobId, orgId, 0, { created: 10, failed: 0 });
    // Both deliveries are old; only chunk 1's queue job is gone (a Redis that lost it, or a failure
    // BullMQ keeps for a week under the same id). Chunk 2's still waits for a worker.
    await context.dataSource.query(
      `UPDATE chunk SET dispatched_at = now() - interval '2 minutes' WHERE job_id = $1 AND seq IN (1, 2)`,
      [jobId],
    );
    const queue = new Queue('apply.site', {
      connection: redisOptions(context.env['REDIS_URL']),
      prefix: context.queuePrefix,
    });
    try {
      await queue.remove(`${jobId}.1`);
      await reaper.reap();
      expect((await queue.getJob(`${jobId}.1.a1`))?.data).toEqual({
        jobId,
        orgId,
        object: 'site',
        chunk: 1,
        attempt: 1,
      });
      expect(await queue.getJob(`${jobId}.2.a1`)).toBeUndefined();
      // A fresh delivery is left alone: no further queue job for chunk 1.
      await reaper.reap();
      expect(await waitingApplyJobs(jobId)).toEqual([0, 1, 2]);
    } finally {
      await queue.close();
    }
  });

  it('completes a stalled job that had applied rows WITH_ERRORS, the rest as row errors, never FAILED', async () => {
    const { jobId, orgId } = await activeJob(3);
    await ledger(jobId, orgId, 0, { created: 10, failed: 0 });
    await reaper.reap(Date.now() + 3_600_000);
    expect(await jobs().find(orgId, jobId)).toMatchObject({
      status: 'COMPLETED_WITH_ERRORS',
      failureCode: null,
      createdRows: 10,
      failedRows: 2,
      processedRows: 12,
    });
    expect(await lock.holder(orgId)).toBeNull();
    const errors: { message: string }[] = await context.dataSource.query(
      `SELECT message FROM row_error WHERE job_id = $1`,
      [jobId],
    );
    expect(errors.map((e) => e.message)).toEqual(
      Array(2).fill(expect.stringMatching(/^Not applied: the job made no progress for 60 minutes/)),
    );
  });
});
