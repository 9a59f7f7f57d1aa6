import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { INestApplication } from '@nestjs/common';
import { ObjectTableRepository } from '@bulkops/database';
import { getObject } from '@bulkops/objects';
import { startService } from '@bulkops/observability';
import { StorageKeys, StorageService } from '@bulkops/storage';
import {
  createJob,
  createOrganization,
  createTestContext,
  waitFor,
  type TestContext,
} from '@bulkops/testing';
import { statusService } from '../status.service';
import { BlobCollector } from './blob-collector.service';
import { RetentionService } from './retention.service';

const sha = (seed: string) => createHash('sha256').update(seed).digest('hex');

/**
 * Retention removes what finished jobs held past RETENTION_DAYS, and nothing anything references;
 * blob collection removes kept bytes no object names, and never bytes a row names.
 */
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

  /**
   * A job with an upload, a staged blob, a row error, a change record, a ledger row and a chunk;
   * `daysAgo` it ended.
   */
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
      `INSERT INTO job_change_chunk (job_id, chunk_seq, organization_id, object, file_ordinal, changes, object_ids)
       SELECT $1, 0, $2, 'site', 0, json_build_array(json_build_array(0, 'create', o.id, 'Austin', NULL, '["Austin", "MMP"]'::json, 2)), ARRAY[o.id]
         FROM (SELECT gen_random_uuid() AS id) o`,
      [job.id, orgId],
    );
    await context.dataSource.query(
      `INSERT INTO chunk_ledger (job_id, organization_id, object, seq, rows, created, updated, deleted, unchanged, failed)
       VALUES ($1, $2, 'site', 0, 1, 0, 0, 0, 0, 1)`,
      [job.id, orgId],
    );
    await context.dataSource.query(
      `INSERT INTO chunk (job_id, organization_id, object, seq, file_ordinal, row_count, rows, keys)
       VALUES ($1, $2, 'site', 0, 0, 1, '[]', '{}')`,
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
      changes: await count('job_change', jobId),
      ledger: await count('chunk_ledger', jobId),
      chunks: await count('chunk', jobId),
    };
  }

  it("purges a finished job's upload, staged media, row errors, change records, ledger and chunks after RETENTION_DAYS, and nothing else", async () => {
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
      changes: 1,
      ledger: 1,
      chunks: 1,
    };

    expect(await retention.purge()).toBe(1);

    expect(await holds(expired)).toEqual({
      upload: null,
      staged: null,
      rowErrors: 0,
      changes: 0,
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

  describe('blob collection', () => {
    const audio = getObject('audio-file');
    let collector: BlobCollector;

    beforeAll(() => {
      collector = app.get(BlobCollector);
    });

    const keep = (orgId: string, value: string) =>
      storage.put(StorageKeys.blob(orgId, audio.type, value), Readable.from([Buffer.from(value)]));
    const kept = async (orgId: string, value: string) =>
      (await storage.size(StorageKeys.blob(orgId, audio.type, value))) !== null;
    const nameIn = (
      run: (sql: string, params: unknown[]) => Promise<unknown>,
      orgId: string,
      file: string,
      value: string,
    ) =>
      run(
        `INSERT INTO audio_file (organization_id, key_norm, key_display, name, sha256, size_bytes, encoding, sample_rate, channels, bits_per_sample)
         VALUES ($1, $2, $2, $2, $3, 64, 'MULAW', 8000, 1, 8)`,
        [orgId, file, value],
      );
    const name = (orgId: string, file: string, value: string) =>
      nameIn((sql, params) => context.dataSource.query(sql, params), orgId, file, value);

    it('removes kept blobs no row of their organization names, across lock batches, and keeps every named one', async () => {
      // What earlier tests left unnamed goes first, so the count below is this test's alone.
      await collector.collect();
      const org = await createOrganization(context.dataSource);
      const other = await createOrganization(context.dataSource);
      const named = [sha('named-1'), sha('named-2')];
      // More orphans than one hold of the lock checks, so several batches run.
      const orphans = Array.from({ length: 230 }, (_, i) => sha(`orphan-${i}`));
      for (const value of [...named, ...orphans]) await keep(org.orgId, value);
      await name(org.orgId, 'one.wav', named[0]);
      await name(org.orgId, 'two.wav', named[1]);
      await name(org.orgId, 'same-bytes.wav', named[1]);
      // The other organization keeps the same bytes but names none of them: they are its own to lose.
      await keep(other.orgId, named[0]);
      // A job's staged media are retention's business, not collection's.
      const job = await createJob(context.dataSource, org.orgId);
      const staged = StorageKeys.stagedBlob(job.id, sha('staged'));
      await storage.put(staged, Readable.from([Buffer.from('staged')]));

      expect(await collector.collect()).toBe(orphans.length + 1);

      for (const value of named) expect(await kept(org.orgId, value)).toBe(true);
      const left = [];
      for (const value of orphans) if (await kept(org.orgId, value)) left.push(value);
      expect(left).toEqual([]);
      expect(await kept(other.orgId, named[0])).toBe(false);
      expect(await storage.size(staged)).not.toBeNull();
      // Nothing left to collect.
      expect(await collector.collect()).toBe(0);
      for (const value of named) expect(await kept(org.orgId, value)).toBe(true);
    });

    it('never removes a blob a row names that a chunk commits while the pass waits for the blob lock', async () => {
      const org = await createOrganization(context.dataSource);
      const arriving = sha('arriving');
      const orphan = sha('still-an-orphan');
      await keep(org.orgId, arriving);
      await keep(org.orgId, orphan);

      // A chunk between its `keep` and its commit: it holds the organization's blob lock.
      const chunk = context.dataSource.createQueryRunner();
      await chunk.connect();
      await chunk.startTransaction();
      try {
        await app.get(ObjectTableRepository).lockBlobs(chunk.manager, audio, org.orgId);
        const collecting = collector.collect();
        // The pass has listed both blobs (neither named yet) and now waits for the lock.
        await waitFor('the collection pass to wait for the blob lock', async () => {
          const [row] = await context.dataSource.query<{ waiting: number }[]>(
            `SELECT count(*)::int AS waiting FROM pg_stat_activity
              WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'advisory'`,
          );
          return row.waiting > 0;
        });
        await nameIn(
          (sql, params) => chunk.query(sql, params),
          org.orgId,
          'arriving.wav',
          arriving,
        );
        await chunk.commitTransaction();

        expect(await collecting).toBe(1);
      } finally {
        if (chunk.isTransactionActive) await chunk.rollbackTransaction();
        await chunk.release();
      }
      expect(await kept(org.orgId, arriving)).toBe(true);
      expect(await kept(org.orgId, orphan)).toBe(false);
    });
  });
});
