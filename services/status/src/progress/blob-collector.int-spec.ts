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

const sha = (seed: string) => createHash('sha256').update(seed).digest('hex');

/** Blob collection removes kept bytes no object names, and never bytes a row names. */
describe('status: blob collection', () => {
  const audio = getObject('audio-file');
  let context: TestContext;
  let app: INestApplication;
  let collector: BlobCollector;
  let storage: StorageService;

  beforeAll(async () => {
    context = await createTestContext();
    app = await startService(statusService, {
      ...context.env,
      PORT: '0',
      STATUS_REAP_INTERVAL_MS: '3600000',
    });
    collector = app.get(BlobCollector);
    storage = app.get(StorageService);
  });

  afterAll(async () => {
    await app?.close();
    await context?.dispose();
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
      await nameIn((sql, params) => chunk.query(sql, params), org.orgId, 'arriving.wav', arriving);
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
