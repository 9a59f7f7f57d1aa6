import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { JobStatus } from '@bulkops/contracts';
import { createOrganization, fixturesOf, waitFor } from '@bulkops/testing';
import { screenshot, signInToDashboard, useBrowserSuite } from './support/browser';
import { revokeTokenForTest } from './support/revoke-token';

const ZONE = 'Europe/Paris';
const LOCALE = 'en-GB';
const SITES = 'Name,Multimedia Profile\r\nAustin,MMP Default\r\nDenver,MMP Default\r\n';
const COLUMNS = ['Job ID', 'File Name', 'Object', 'Status', 'Submitted By', 'Submitted At'];

/**
 * The dashboard at `GET /` in headless Chromium against the built services: token prompt, the job
 * list, an upload followed live, the error file, what a viewer sees, and the queue board. Each
 * test leaves screenshots under services/e2e/test-output/dashboard.
 */
describe('the dashboard in a browser', () => {
  const suite = useBrowserSuite();

  const newPage = (width = 1280): Promise<Page> =>
    suite.newPage({
      viewport: { width, height: 860 },
      timezoneId: ZONE,
      locale: LOCALE,
      acceptDownloads: true,
    });

  async function signIn(token: string, width?: number): Promise<Page> {
    return signInToDashboard(await newPage(width), suite.stack.gatewayUrl, token);
  }

  /** A link of the main navigation. */
  function navLink(page: Page, name: string) {
    return page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
  }

  /** Marks the document, so a later check proves the page was never reloaded. */
  async function markDocument(page: Page): Promise<void> {
    await page.evaluate(() => ((globalThis as any).bulkopsMark = 1));
  }

  async function stillSameDocument(page: Page): Promise<boolean> {
    return page.evaluate(() => (globalThis as any).bulkopsMark === 1);
  }

  it('asks for a token, explains a refused one, keeps it in the tab only, and is keyboard reachable', async () => {
    const org = await createOrganization(suite.context.dataSource);
    const page = await newPage();
    await page.goto(`${suite.stack.gatewayUrl}/`);
    const input = page.getByLabel('API token');
    await expect(
      input.evaluate((el) => el === (globalThis as any).document.activeElement),
    ).resolves.toBe(true);
    await screenshot(page, '01-token-prompt');

    await page.keyboard.type('bko_not-a-real-token');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('alert').textContent()).resolves.toContain(
      'That token was not accepted: The API token is unknown or revoked',
    );

    await input.fill(org.adminToken);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Jobs', level: 1 }).waitFor();
    await expect(page.getByText('Ada Admin').first().isVisible()).resolves.toBe(true);
    const storage = await page.evaluate(() => {
      const browser = globalThis as any;
      return {
        session: browser.sessionStorage.getItem('bulkops.token'),
        local: browser.localStorage.length,
        cookies: browser.document.cookie,
        url: browser.location.href,
      };
    });
    expect(storage).toEqual({
      session: org.adminToken,
      local: 0,
      cookies: '',
      url: `${suite.stack.gatewayUrl}/`,
    });

    // The navigation is reachable with the keyboard alone.
    for (let i = 0; i < 12; i += 1) {
      await page.keyboard.press('Tab');
      if (
        (await page.evaluate(() => (globalThis as any).document.activeElement?.textContent)) ===
        'Objects'
      )
        break;
    }
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Objects', level: 1 }).waitFor();
    await screenshot(page, '01-signed-in');
  });

  it('returns to the token prompt with the reason when the token is revoked', async () => {
    const org = await createOrganization(suite.context.dataSource);
    const page = await signIn(org.adminToken);
    await revokeTokenForTest(suite.context.dataSource, org.adminToken, suite.api);
    // The next request the page makes (the records of a type, or the live list if it is quicker)
    // finds out.
    await page.evaluate(() => ((globalThis as any).location.hash = '#/objects/site'));
    await page.getByLabel('API token').waitFor();
    await expect(page.getByRole('alert').first().textContent()).resolves.toContain(
      'Your token no longer works, so you were signed out: The API token is unknown or revoked',
    );
    expect(
      await page.evaluate(() => (globalThis as any).sessionStorage.getItem('bulkops.token')),
    ).toBeNull();
    await screenshot(page, '02-token-revoked');
  });

  it("lists the jobs with the seed's columns, newest first, in the browser's local time, with filters", async () => {
    const org = await createOrganization(suite.context.dataSource);
    const first = await suite.api.run(org.adminToken, 'site', {
      name: 'sites.csv',
      content: SITES,
    });
    const second = await suite.api.run(org.adminToken, 'team', {
      name: 'teams.csv',
      content: 'Name,Site,Type\r\nSales,Austin,AGENT\r\n',
    });
    const third = await suite.api.run(
      org.adminToken,
      'site',
      { name: 'check.csv', content: SITES },
      { mode: 'validate' },
    );
    const page = await signIn(org.viewerToken);
    const table = page.locator('#jobs-table');
    await waitFor('three rows', async () => (await table.locator('tbody tr').count()) === 3);
    expect(await table.locator('thead th').allTextContents()).toEqual(COLUMNS);
    expect(
      await table
        .locator('tbody tr')
        .evaluateAll((rows) => rows.map((r) => (r as any).dataset.jobId)),
    ).toEqual([third.id, second.id, first.id]);

    const cells = await table.locator('tbody tr').first().locator('td').allTextContents();
    const localTime = new Date(third.submittedAt).toLocaleString(LOCALE, {
      timeZone: ZONE,
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    expect(cells).toEqual([
      third.id.slice(0, 8),
      'check.csv',
      'Site',
      'Completed',
      'Ada Admin',
      localTime,
    ]);
    expect(
      await table.locator('tbody tr').first().locator('[data-status]').getAttribute('data-status'),
    ).toBe('COMPLETED');

    await page.getByLabel('Object').selectOption('team');
    await waitFor(
      'the team job alone',
      async () => (await table.locator('tbody tr').count()) === 1,
    );
    expect(await table.locator('tbody tr').first().getAttribute('data-job-id')).toBe(second.id);
    await page.getByLabel('Object').selectOption('');
    await page.getByLabel('Status').selectOption('FAILED');
    await page.getByText('No jobs match these filters.').waitFor();
    await page.getByLabel('Status').selectOption('');
    await waitFor('all three rows', async () => (await table.locator('tbody tr').count()) === 3);
    await screenshot(page, '03-jobs');

    // Readable on a narrow window: nothing wider than the screen.
    await page.setViewportSize({ width: 390, height: 860 });
    expect(
      await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth),
    ).toBeLessThanOrEqual(390);
    await screenshot(page, '03-jobs-narrow');
  });

  it('follows an upload made through the page to Completed, and the job list live, without a reload', async () => {
    const org = await createOrganization(suite.context.dataSource);
    const page = await signIn(org.adminToken);
    await markDocument(page);
    await navLink(page, 'Import').click();
    await page.getByLabel('Object type').selectOption('site');
    await page.getByRole('cell', { name: 'Multimedia Profile', exact: true }).waitFor();
    await page.getByLabel('File (.csv or .zip)').setInputFiles({
      name: 'sites.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(SITES),
    });
    await page.getByLabel('Apply: create, update and delete').check();
    await screenshot(page, '04-import');
    await page.getByRole('button', { name: 'Submit' }).click();

    await page.waitForURL(/#\/jobs\/[0-9a-f-]{36}$/);
    const jobId = page.url().split('/').at(-1)!;
    await page
      .locator(`[data-job-id="${jobId}"] [data-status="COMPLETED"]`)
      .waitFor({ timeout: 60_000 });
    expect(await page.locator('[data-count="created"]').textContent()).toBe('2');
    expect(await page.locator('[data-count="total"]').textContent()).toBe('2');
    expect((await suite.api.get(`/v1/jobs/${jobId}`, org.adminToken)).body).toMatchObject({
      status: JobStatus.Completed,
      fileName: 'sites.csv',
      counts: { created: 2 },
    });
    expect(await stillSameDocument(page)).toBe(true);
    await screenshot(page, '04-job-completed');

    // The job list follows a job submitted elsewhere from creation to its end.
    await navLink(page, 'Jobs').click();
    await page.locator(`tr[data-job-id="${jobId}"]`).waitFor();
    const elsewhere = await suite.api.submit(org.adminToken, 'team', {
      name: 'teams.csv',
      content: 'Name,Site,Type\r\nSales,Austin,AGENT\r\nSupport,Denver,AGENT\r\n',
    });
    expect(elsewhere.status).toBe(202);
    const row = page.locator(`tr[data-job-id="${elsewhere.body.id}"]`);
    await row.locator('[data-status="COMPLETED"]').waitFor({ timeout: 60_000 });
    expect(
      await page
        .locator('#jobs-table tbody tr')
        .evaluateAll((rows) => rows.map((r) => (r as any).dataset.jobId)),
    ).toEqual([elsewhere.body.id, jobId]);
    expect(await stillSameDocument(page)).toBe(true);
    await screenshot(page, '04-jobs-live');

    // The records the upload created, page by page, and their export.
    await navLink(page, 'Objects').click();
    await page.getByLabel('Object type').selectOption('site');
    const records = page.locator('#records-table tbody tr');
    await waitFor('the two sites', async () => (await records.count()) === 2);
    expect(await records.first().locator('td').first().textContent()).toBe('Austin');
    const [exported] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export' }).click(),
    ]);
    expect(exported.suggestedFilename()).toBe('site.csv');
    const expected = await suite.api.download('/v1/objects/site/export', org.adminToken);
    expect((await readFile(await exported.path())).equals(expected.bytes)).toBe(true);
    await screenshot(page, '04-objects');
  });

  it('downloads the error file with the rejected rows', async () => {
    const org = await createOrganization(suite.context.dataSource);
    const fixtures = fixturesOf('site')!;
    const job = await suite.api.run(org.adminToken, 'site', {
      name: 'invalid.csv',
      content: fixtures.invalid,
    });
    expect(job.status).toBe(JobStatus.CompletedWithErrors);
    const page = await signIn(org.viewerToken);
    await page.goto(`${suite.stack.gatewayUrl}/#/jobs/${job.id}`);
    await page.locator('#error-summary').waitFor();
    expect(await page.locator('#error-summary tbody tr').count()).toBe(job.errorSummary.length);
    await screenshot(page, '05-job-errors');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download error file' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('invalid-errors.csv');
    const content = await readFile(await download.path());
    const expected = await suite.api.download(`/v1/jobs/${job.id}/errors`, org.adminToken);
    expect(content.equals(expected.bytes)).toBe(true);
    expect(content.toString('utf8')).toContain('Source File,Source Row,Error Message');
    expect(content.toString('utf8').split('\r\n').filter(Boolean)).toHaveLength(
      job.counts.failed + 1,
    );
    await page.getByText('Downloaded invalid-errors.csv.').waitFor();
  });

  it('shows a viewer no upload or cancel controls, and an admin the cancel button of an active job', async () => {
    const org = await createOrganization(suite.context.dataSource);
    // Without ingest the job stays NEW: active, with nothing moving under the test.
    await suite.stack.kill('ingest');
    try {
      const active = await suite.api.submit(org.adminToken, 'site', {
        name: 'sites.csv',
        content: SITES,
      });
      expect(active.status).toBe(202);

      const viewer = await signIn(org.viewerToken);
      const nav = viewer.getByRole('navigation', { name: 'Main' });
      expect(await nav.getByRole('link').allTextContents()).toEqual(['Jobs', 'Objects']);
      await viewer.getByTestId('active-banner').waitFor();
      expect(await viewer.getByRole('link', { name: 'New import' }).count()).toBe(0);
      await viewer.goto(`${suite.stack.gatewayUrl}/#/jobs/${active.body.id}`);
      await viewer.getByRole('button', { name: 'Download error file' }).waitFor();
      expect(await viewer.getByRole('button', { name: 'Cancel job' }).count()).toBe(0);
      await screenshot(viewer, '06-viewer-job');
      await viewer.goto(`${suite.stack.gatewayUrl}/#/import`);
      await viewer.getByText('Imports need an admin token').waitFor();
      expect(await viewer.locator('input[type="file"]').count()).toBe(0);
      expect(await viewer.getByRole('button', { name: 'Submit' }).count()).toBe(0);

      const admin = await signIn(org.adminToken);
      expect(
        await admin.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents(),
      ).toEqual(['Jobs', 'Import', 'Objects', 'Queues']);
      // A second upload is refused while the job is active, with a way to it.
      await navLink(admin, 'Import').click();
      await admin.getByLabel('Object type').selectOption('site');
      await admin.getByLabel('File (.csv or .zip)').setInputFiles({
        name: 'more.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(SITES),
      });
      await admin.getByRole('button', { name: 'Submit' }).click();
      await admin.getByText('This organization already has an active job').waitFor();
      await admin.getByRole('link', { name: 'Open the active job' }).click();
      await admin.waitForURL(new RegExp(`#/jobs/${active.body.id}$`));
      await navLink(admin, 'Jobs').click();
      await admin.getByTestId('active-banner').getByRole('link').click();
      await admin.getByRole('button', { name: 'Cancel job' }).click();
      // Whatever the gateway answers is shown as its own sentence.
      await admin
        .getByText(/There is no POST \/v1\/jobs\/[0-9a-f-]+\/cancel|Cancellation requested/)
        .waitFor();
      await screenshot(admin, '06-admin-active-job');
    } finally {
      await suite.stack.startService('ingest');
    }
  });

  it('refuses the queue board to a viewer and opens it for an admin', async () => {
    const org = await createOrganization(suite.context.dataSource);
    const viewer = await signIn(org.viewerToken);
    expect(
      await viewer.evaluate(
        async (token) =>
          (
            await fetch('/admin/session', {
              method: 'POST',
              headers: { Authorization: `Bearer ${token}` },
            })
          ).status,
        org.viewerToken,
      ),
    ).toBe(403);
    await viewer.goto(`${suite.stack.gatewayUrl}/admin/queues`);
    await viewer.waitForURL(/\/#\/queues$/);
    await viewer.getByText('The queue board is for administrators').waitFor();
    await screenshot(viewer, '07-queues-viewer');

    const admin = await signIn(org.adminToken);
    await navLink(admin, 'Queues').click();
    await admin.waitForURL(/\/admin\/queues/);
    await admin.getByText('apply.site').first().waitFor({ timeout: 30_000 });
    await screenshot(admin, '07-queue-board');
  });
});
