import {
  type ApiDriver,
  createOrganization,
  type Stack,
  type TestContext,
  startServices,
  stopServices,
  waitFor,
} from '@bulkops/testing';
import type { ServiceName } from '@bulkops/testing';

/** One scrape: `name{label="v",…}` (labels sorted, the `service` label every series has left out) → value. */
type Scrape = Map<string, number>;

function parseMetrics(text: string): Scrape {
  const series: Scrape = new Map();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not a Prometheus sample: ${line}`);
    const labels = (match[2] ?? '')
      .split(/,(?=[a-zA-Z_]\w*=")/)
      .filter((label) => label !== '' && !label.startsWith('service='))
      .sort()
      .join(',');
    series.set(labels ? `${match[1]}{${labels}}` : match[1], Number(match[3]));
  }
  return series;
}

/**
 * /metrics answers an operator's questions, and the values move as a job runs: scrape, import,
 * scrape (spec issue "Observability").
 */
describe('metrics of the running services', () => {
  let context: TestContext;
  let stack: Stack;
  let api: ApiDriver;

  beforeAll(async () => {
    ({ context, stack, api } = await startServices());
  });

  afterAll(() => stopServices({ context, stack }));

  async function scrape(service: ServiceName): Promise<Scrape> {
    const response = await fetch(`${stack.url(service)}/metrics`);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain(`process_resident_memory_bytes{service="${service}"}`);
    return parseMetrics(text);
  }

  const value = (scrape: Scrape, series: string) => scrape.get(series) ?? 0;

  it('report jobs, queues, ingest, applied rows, lock refusals, exports and the reaper as a job runs', async () => {
    const org = await createOrganization(context.dataSource);
    const rows = Array.from({ length: 300 }, (_, i) => `Site ${i},MMP`).join('\r\n');
    // 300 good rows and one without a name.
    const csv = `Name,Multimedia Profile\r\n${rows}\r\n,MMP\r\n`;
    const before = {
      status: await scrape('status'),
      ingest: await scrape('ingest'),
      gateway: await scrape('gateway'),
    };
    expect(value(before.status, 'bulkops_jobs{object="site",status="COMPLETED_WITH_ERRORS"}')).toBe(
      0,
    );
    expect(value(before.status, 'bulkops_oldest_active_job_age_seconds')).toBe(0);

    // With no worker, the job waits at the apply queue: in progress, its chunk waiting.
    await stack.kill('worker', 'SIGTERM');
    const submitted = await api.submit(org.adminToken, 'site', { name: 'sites.csv', content: csv });
    expect(submitted.status).toBe(202);
    const refused = await api.submit(org.adminToken, 'site', { name: 'sites.csv', content: csv });
    expect(refused.status).toBe(409);

    const waiting = await waitFor(
      'the chunk to wait in apply.site and the reaper to act',
      async () => {
        const now = await scrape('status');
        return value(now, 'bulkops_queue_jobs{queue="apply.site",state="waiting"}') === 1 &&
          value(now, 'bulkops_reaper_actions_total{action="resent"}') >= 1
          ? now
          : undefined;
      },
    );
    expect(value(waiting, 'bulkops_jobs{object="site",status="IN_PROGRESS"}')).toBe(1);
    expect(value(waiting, 'bulkops_oldest_active_job_age_seconds')).toBeGreaterThan(0);
    expect(value(waiting, 'bulkops_active_job_idle_seconds')).toBeGreaterThan(0);
    expect(value(waiting, 'bulkops_queue_jobs{queue="ingest",state="waiting"}')).toBe(0);

    const ingest = await scrape('ingest');
    expect(
      value(ingest, 'bulkops_ingest_rows_total{object="site"}') -
        value(before.ingest, 'bulkops_ingest_rows_total{object="site"}'),
    ).toBe(301);
    expect(
      value(ingest, 'bulkops_ingest_bytes_total{object="site"}') -
        value(before.ingest, 'bulkops_ingest_bytes_total{object="site"}'),
    ).toBe(Buffer.byteLength(csv));

    await stack.startService('worker');
    const job = await api.finished(org.adminToken, submitted.body.id);
    expect(job.counts).toMatchObject({ total: 301, created: 300, failed: 1 });

    const worker = await scrape('worker');
    expect(value(worker, 'bulkops_rows_applied_total{object="site",outcome="created"}')).toBe(300);
    expect(value(worker, 'bulkops_rows_applied_total{object="site",outcome="failed"}')).toBe(1);
    expect(value(worker, 'bulkops_chunk_apply_seconds_count{object="site"}')).toBe(1);
    // Every step of the one chunk took some time, and together no longer than the chunk did.
    const stepNames =
      'lock read existing settle references checks write record errors ledger commit';
    const steps = stepNames
      .split(' ')
      .map((step) =>
        value(worker, `bulkops_apply_step_seconds_total{object="site",step="${step}"}`),
      );
    for (const seconds of steps) expect(seconds).toBeGreaterThan(0);
    const stepsTotal = steps.reduce((sum, seconds) => sum + seconds, 0);
    expect(stepsTotal).toBeLessThanOrEqual(
      value(worker, 'bulkops_chunk_apply_seconds_sum{object="site"}') + 0.001,
    );

    const after = await scrape('status');
    expect(value(after, 'bulkops_jobs{object="site",status="COMPLETED_WITH_ERRORS"}')).toBe(1);
    expect(value(after, 'bulkops_jobs{object="site",status="IN_PROGRESS"}')).toBe(0);
    expect(value(after, 'bulkops_queue_jobs{queue="apply.site",state="waiting"}')).toBe(0);
    expect(value(after, 'bulkops_oldest_active_job_age_seconds')).toBe(0);

    expect((await api.download('/v1/objects/site/export', org.adminToken)).status).toBe(200);
    const gateway = await scrape('gateway');
    const delta = (series: string) => value(gateway, series) - value(before.gateway, series);
    expect(delta('bulkops_api_errors_total{code="JOB_ALREADY_ACTIVE",status="409"}')).toBe(1);
    expect(delta('bulkops_lock_acquire_seconds_count{outcome="held"}')).toBe(1);
    expect(delta('bulkops_lock_acquire_seconds_count{outcome="acquired"}')).toBe(1);
    // Opened, and closed again once the response has ended.
    await waitFor(
      'the export connection gauge to return to 0',
      async () => (await scrape('gateway')).get('bulkops_export_connections{object="site"}') === 0,
      5000,
    );
  });
});
