import { Readable } from 'node:stream';
import type { INestApplication } from '@nestjs/common';
import { startService } from '@bulkops/observability';
import { StorageKeys, StorageService } from '@bulkops/storage';
import {
  createJob,
  createOrganization,
  createTestContext,
  type TestContext,
} from '@bulkops/testing';
import { statusService } from '../status.service';
import { RetentionService } from './retention.service';

/** Retention removes what finished jobs held past RETENTION_DAYS, and nothing anything references. */
describe('status: retention', () => {
  let context: TestContext;
  let app: INestApplication;
  let retention: RetentionService;
  let storage: StorageService;

  beforeAll(async () => {
    context = await createTestContext();
    app = await startService(statusService, {
      ...context.env,
      PORT: '0',
      STATUS_REAP_INTERVAL_MS: '3600000',
      RETENTION_DAYS: '30',
    });
    retention = app.get(RetentionService);
    storage = app.get(StorageService);
  });

  afterAll(async () => {
    await app?.close();
    await context?.dispose();
  });

  const put = (key: string) => storage.put(key, Readable.from([Buffer.from(key)]));
  const count = async (table: string, jobId: string) =>
    (
      await context.dataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM ${table} WHERE job_id = $1`,
        [jobId],
      )
    )[0].n;

  /** A job with an upload, a staged blob, a row error, a ledger row and a chunk; `daysAgo` it ended. */
  async function jobWithEverything(orgId: string, status: string, daysAgo: number | null) {
    const job = await createJob(context.dataSource, orgId);
    await context.dataSource.query(
      `UPDATE job SET status = $2, finished_at = CASE WHEN $3::int IS NULL THEN NULL ELSE now() - make_interval(days => $3::int) END
        WHERE id = $1`,
      [job.id, status, daysAgo],
    );
    await context.dataSource.query(
      `INSERT INTO row_error (job_id, organization_id, file_ordinal, source_row, cells, codes, message)
       VALUES ($1, $2, 0, 2, '["x"]', '{INVALID_VALUE}', 'bad')`,
      [job.id, orgId],
    );
    await context.dataSource.query(
      `INSERT INTO chunk_ledger (job_id, organization_id, seq, rows, created, updated, deleted, unchanged, failed)
       VALUES ($1, $2, 0, 1, 0, 0, 0, 0, 1)`,
      [job.id, orgId],
    );
    await context.dataSource.query(
      `INSERT INTO chunk (job_id, organization_id, seq, file_ordinal, row_count, rows, keys)
       VALUES ($1, $2, 0, 0, 1, '[]', '{}')`,
      [job.id, orgId],
    );
    await put(StorageKeys.upload(job.id));
    await put(StorageKeys.stagedBlob(job.id, 'a'.repeat(64)));
    return job.id;
  }

  async function holds(jobId: string) {
    return {
      upload: await storage.size(StorageKeys.upload(jobId)),
      staged: await storage.size(StorageKeys.stagedBlob(jobId, 'a'.repeat(64))),
      rowErrors: await count('row_error', jobId),
      ledger: await count('chunk_ledger', jobId),
      chunks: await count('chunk', jobId),
    };
  }

  it("purges a finished job's upload, staged media, row errors, ledger and chunks after RETENTION_DAYS, and nothing else", async () => {
    const org = await createOrganization(context.dataSource);
    const expired = await jobWithEverything(org.orgId, 'COMPLETED_WITH_ERRORS', 31);
    const other = await createOrganization(context.dataSource);
    const recent = await jobWithEverything(other.orgId, 'CANCELLED', 29);
    // An active job holds its upload however old it is (its finished_at is not set).
    const active = await jobWithEverything(other.orgId, 'IN_PROGRESS', null);
    await context.dataSource.query(
      `UPDATE job SET submitted_at = now() - interval '90 days' WHERE id = $1`,
      [active],
    );
    // Media objects name: kept once per organization, outside every job's storage.
    const objectBlob = StorageKeys.blob(org.orgId, 'audio-file', 'b'.repeat(64));
    await put(objectBlob);
    const untouched = {
      upload: expect.any(Number),
      staged: expect.any(Number),
      rowErrors: 1,
      ledger: 1,
      chunks: 1,
    };

    expect(await retention.purge()).toBe(1);

    expect(await holds(expired)).toEqual({
      upload: null,
      staged: null,
      rowErrors: 0,
      ledger: 0,
      chunks: 0,
    });
    expect(await holds(recent)).toEqual(untouched);
    expect(await holds(active)).toEqual(untouched);
    expect(await storage.size(objectBlob)).not.toBeNull();
    const [job] = await context.dataSource.query<{ status: string; purged: boolean }[]>(
      `SELECT status, purged_at IS NOT NULL AS purged FROM job WHERE id = $1`,
      [expired],
    );
    expect(job).toEqual({ status: 'COMPLETED_WITH_ERRORS', purged: true });
    // A second run finds nothing left to do.
    expect(await retention.purge()).toBe(0);
  });
});
