import { request } from 'node:http';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { redisOptions } from '@bulkops/queue';
import { StorageKeys } from '@bulkops/storage';
import {
  type ApiDriver,
  buildZip,
  createOrganization,
  type Stack,
  type TestContext,
  startServices,
  stopServices,
  waitFor,
} from '@bulkops/testing';

const GRACE_MS = 30_000;

const sitesCsv = (from: number, count: number) =>
  `Name,Multimedia Profile\r\n${Array.from({ length: count }, (_, i) => `Site ${String(from + i).padStart(6, '0')},MMP ${i % 7}\r\n`).join('')}`;

/**
 * A real SIGTERM to a service in the middle of its work (STYLE §5 "Shutdown"): the service stops
 * taking work, finishes what it holds, exits 0 within SHUTDOWN_GRACE_MS, and the job ends exactly as
 * an undisturbed run would once the service is back.
 */
describe('a service stopped with SIGTERM mid-job', () => {
  let context: TestContext;
  let stack: Stack;
  let api: ApiDriver;

  beforeAll(async () => {
    ({ context, stack, api } = await startServices({
      env: { WORKER_CONCURRENCY: '1', SHUTDOWN_GRACE_MS: String(GRACE_MS) },
    }));
  });

  afterAll(() => stopServices({ context, stack }));

  const ledger = async (jobId: string): Promise<number[]> =>
    (
      await context.dataSource.query<{ seq: number }[]>(
        `SELECT seq FROM chunk_ledger WHERE job_id = $1 ORDER BY seq`,
        [jobId],
      )
    ).map((r) => r.seq);

  it('lets the worker finish the chunk it holds, take no other, exit 0, and the job completes exactly after a restart', async () => {
    const org = await createOrganization(context.dataSource);
    const files = [0, 1, 2, 3].map((n) => ({
      name: `sites-${n}.csv`,
      content: sitesCsv(n * 5000, 5000),
    }));
    const submitted = await api.submit(org.adminToken, 'site', {
      name: 'sites.zip',
      content: await buildZip(files),
    });
    expect(submitted.status).toBe(202);
    const jobId = submitted.body.id;
    const queue = new Queue('apply.site', {
      connection: redisOptions(context.env['REDIS_URL']),
      prefix: context.queuePrefix,
    });
    try {
      // Mid-job: the first chunk is applied and the worker holds another one.
      const held = await waitFor(
        'the worker to hold a chunk after applying the first',
        async () => {
          if ((await ledger(jobId)).length === 0) return undefined;
          const [active] = await queue.getJobs(['active']);
          return active ? (active.data as { chunk: number }).chunk : undefined;
        },
        60_000,
        10,
      );
      const appliedAtSignal = await ledger(jobId);
      const exit = await stack.kill('worker', 'SIGTERM');
      expect(exit).toEqual({ code: 0, signal: null, ms: expect.any(Number) });
      expect(exit!.ms).toBeLessThan(GRACE_MS);

      // The chunk it held was finished, not abandoned, and at most the one it held when the signal
      // came was applied after it (the held chunk may have committed just before the signal, which
      // is why the comparison is with the ledger at the signal rather than with clock times).
      const applied = await ledger(jobId);
      expect(applied).toContain(held);
      expect(applied.length - appliedAtSignal.length).toBeLessThanOrEqual(1);
      const finished = await queue.getJob(`${jobId}.${held}`);
      expect(finished?.finishedOn).toEqual(expect.any(Number));
      expect(finished?.failedReason).toBeUndefined();
      expect(await queue.getActiveCount()).toBe(0);
      expect(applied.length).toBeLessThan(4);
      expect((await api.get(`/v1/jobs/${jobId}`, org.adminToken)).body.status).toBe('IN_PROGRESS');

      await stack.startService('worker');
      const job = await api.finished(org.adminToken, jobId, 120_000);
      expect(job).toMatchObject({
        status: 'COMPLETED',
        counts: { total: 20_000, created: 20_000, updated: 0, unchanged: 0, failed: 0 },
      });
      expect(await ledger(jobId)).toEqual([0, 1, 2, 3]);
      const [{ count }] = await context.dataSource.query<{ count: string }[]>(
        `SELECT count(*) FROM site WHERE organization_id = $1`,
        [org.orgId],
      );
      expect(Number(count)).toBe(20_000);
    } finally {
      await queue.close();
    }
  });

  it('lets the gateway finish an upload in flight while refusing new connections, exit 0, and the job completes', async () => {
    const org = await createOrganization(context.dataSource);
    const gateway = new URL(stack.gatewayUrl);
    const boundary = 'bulkops-shutdown-test';
    const rows = sitesCsv(100_000, 3000);
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="object"\r\n\r\nsite\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="sites.csv"\r\nContent-Type: text/csv\r\n\r\n`;
    const tail = `\r\n--${boundary}--\r\n`;
    const half = rows.length >> 1;

    let answer: { status: number; body: string } | undefined;
    const upload = request({
      host: gateway.hostname,
      port: gateway.port,
      method: 'POST',
      path: '/v1/jobs',
      headers: {
        authorization: `Bearer ${org.adminToken}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
      },
    });
    const answered = new Promise<void>((resolve, reject) => {
      upload.on('response', (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        response.on('end', () => {
          answer = { status: response.statusCode ?? 0, body };
          resolve();
        });
      });
      upload.on('error', reject);
    });
    upload.write(head + rows.slice(0, half));
    // The first half is being stored: the upload is in flight.
    const incoming = join(context.storageDir, StorageKeys.incoming('x'), '..');
    await waitFor('the upload to start streaming into storage', async () =>
      (await readdir(incoming).catch(() => [] as string[])).some((name) => name.endsWith('.part')),
    );

    const exited = stack.kill('gateway', 'SIGTERM');
    await waitFor('the gateway to stop accepting connections', async () => {
      try {
        await fetch(new URL('/health/live', gateway));
        return false;
      } catch {
        return true;
      }
    });
    upload.end(rows.slice(half) + tail);
    await answered;
    expect(answer?.status).toBe(202);
    const jobId = (JSON.parse(answer!.body) as { id: string }).id;
    const exit = await exited;
    expect(exit).toEqual({ code: 0, signal: null, ms: expect.any(Number) });
    expect(exit!.ms).toBeLessThan(GRACE_MS);

    await stack.startService('gateway');
    const job = await api.finished(org.adminToken, jobId);
    expect(job).toMatchObject({
      status: 'COMPLETED',
      counts: { total: 3000, created: 3000, failed: 0 },
      files: [{ name: 'sites.csv', rows: 3000 }],
    });
  });
});
