import type { Page } from 'playwright-core';
import { JobStatus, type JobView } from '@bulkops/contracts';
import { createOrganization, waitFor } from '@bulkops/testing';
import { screenshot, signInToDashboard, useBrowserSuite } from './support/browser';

const ROWS = 300;
const SITES = [
  'Name,Multimedia Profile',
  ...Array.from({ length: ROWS }, (_, i) => `Cancel Site ${i},MMP Default`),
].join('\r\n');

/**
 * Cancelling from the dashboard's Job page (`POST /v1/jobs/{id}/cancel`, spec/api.md) in headless
 * Chromium against the built services: an admin cancels a running job, the page follows it to
 * Cancelled without a reload, its counts are exactly what the tables hold, and the rows never
 * applied are the error file. Screenshots go under services/e2e/test-output/dashboard.
 */
describe('cancelling a job from the dashboard', () => {
  const suite = useBrowserSuite();

  const signIn = async (token: string): Promise<Page> =>
    signInToDashboard(await suite.newPage({ locale: 'en-US' }), suite.stack.gatewayUrl, token);

  it('cancels a running job from its page and shows Cancelled with exactly what was applied', async () => {
    const org = await createOrganization(suite.context.dataSource);
    // Without a worker the job is ingested and waits, IN_PROGRESS, with its chunks unapplied.
    await suite.stack.kill('worker');
    let jobId: string;
    let page: Page;
    try {
      const submitted = await suite.api.submit(org.adminToken, 'site', {
        name: 'sites.csv',
        content: SITES,
      });
      expect(submitted.status).toBe(202);
      jobId = submitted.body.id;
      await waitFor(
        `job ${jobId} to be ingested`,
        async () => {
          const job = (await suite.api.get<JobView>(`/v1/jobs/${jobId}`, org.adminToken)).body;
          return job.status === JobStatus.InProgress && job.counts.total === ROWS;
        },
        60_000,
        100,
      );

      page = await signIn(org.adminToken);
      await page.evaluate(() => ((globalThis as any).bulkopsMark = 1));
      await page.goto(`${suite.stack.gatewayUrl}/#/jobs/${jobId}`);
      await page.locator('[data-status="IN_PROGRESS"]').first().waitFor();
      await page.getByRole('button', { name: 'Cancel job' }).click();
      await page.getByText(/^Cancellation requested/).waitFor();
      await screenshot(page, '07-cancel-requested');
    } finally {
      // Whether or not the worker is what completes a cancel, it must apply nothing more.
      await suite.stack.startService('worker');
    }

    await page.locator('[data-status="CANCELLED"]').first().waitFor({ timeout: 60_000 });
    expect(await page.evaluate(() => (globalThis as any).bulkopsMark)).toBe(1);
    expect(await page.getByRole('button', { name: 'Cancel job' }).count()).toBe(0);
    // The answer stays on the page after the job ended.
    await page.getByText(/^Cancellation requested/).waitFor();

    const job = (await suite.api.get<JobView>(`/v1/jobs/${jobId}`, org.adminToken)).body;
    expect(job.status).toBe(JobStatus.Cancelled);
    expect(job.statusLabel).toBe('Cancelled');
    // The counts are what the table holds: nothing invented, nothing lost.
    const [{ n }] = await suite.context.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM site WHERE organization_id = $1`,
      [org.orgId],
    );
    expect(job.counts.created).toBe(n);
    expect(job.counts.updated + job.counts.deleted + job.counts.unchanged).toBe(0);
    for (const name of ['created', 'failed', 'total'] as const) {
      expect(await page.locator(`[data-count="${name}"]`).textContent()).toBe(
        job.counts[name].toLocaleString('en-US'),
      );
    }
    // The error file is exactly what remains to do, each row saying the job was cancelled.
    const [header, ...rows] = await suite.api.errorRows(org.adminToken, jobId);
    expect(header).toEqual([
      'Name',
      'Multimedia Profile',
      'Source File',
      'Source Row',
      'Error Message',
    ]);
    expect(rows).toHaveLength(ROWS - n);
    for (const row of rows) expect(row.at(-1)).toMatch(/cancel/i);
    await screenshot(page, '07-cancelled');

    // The organization's lock is released: the next job is accepted at once.
    const next = await suite.api.submit(org.adminToken, 'site', {
      name: 'again.csv',
      content: SITES,
    });
    expect(next.status).toBe(202);
    expect((await suite.api.finished(org.adminToken, next.body.id)).status).toBe(
      JobStatus.Completed,
    );
  });
});
