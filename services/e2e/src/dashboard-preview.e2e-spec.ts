import type { Page } from 'playwright-core';
import { JobStatus, type JobView } from '@bulkops/contracts';
import { createOrganization, waitFor } from '@bulkops/testing';
import { screenshot, signInToDashboard, useBrowserSuite } from './support/browser';

/**
 * The change preview on the dashboard's Job page (spec/api.md `GET /v1/jobs/{id}/changes`,
 * `POST /v1/jobs/{id}/apply`) in headless Chromium against the built services: a finished validate
 * job shows what applying it would change, an admin applies it with one button and lands on the
 * new job, which then shows the same changes as made; a viewer gets no button.
 */
describe('previewing and applying an upload from the dashboard', () => {
  const suite = useBrowserSuite();

  const signIn = async (token: string): Promise<Page> =>
    signInToDashboard(await suite.newPage({ locale: 'en-US' }), suite.stack.gatewayUrl, token);

  /** The cells of the changes table, row by row. */
  const changeRows = (page: Page) =>
    page
      .locator('#changes-table tbody tr')
      .evaluateAll((rows) =>
        rows.map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent ?? '')),
      );

  const PREVIEWED = [
    ['site', 'Austin', 'UPDATE', 'Multimedia Profile', 'MMP Default', 'MMP Sales', 'sites.csv:2'],
    ['site', 'Boston', 'CREATE', '', '', 'Name=Boston; Multimedia Profile=MMP East', 'sites.csv:3'],
  ];

  it('shows the preview of a validate job and applies it with one button', async () => {
    const org = await createOrganization(suite.context.dataSource);
    const start = await suite.api.run(org.adminToken, 'site', {
      name: 'start.csv',
      content: 'Name,Multimedia Profile\r\nAustin,MMP Default\r\nDenver,MMP Default\r\n',
    });
    expect(start.status).toBe(JobStatus.Completed);
    const preview = await suite.api.run(
      org.adminToken,
      'site',
      {
        name: 'sites.csv',
        content:
          'Name,Multimedia Profile\r\nAustin,MMP Sales\r\nBoston,MMP East\r\nDenver,MMP Default\r\n',
      },
      { mode: 'validate' },
    );
    expect(preview.status).toBe(JobStatus.Completed);

    const viewer = await signIn(org.viewerToken);
    await viewer.goto(`${suite.stack.gatewayUrl}/#/jobs/${preview.id}`);
    await viewer.locator('#changes-table').waitFor();
    expect(await changeRows(viewer)).toEqual(PREVIEWED);
    expect(await viewer.getByRole('button', { name: 'Apply this upload' }).count()).toBe(0);

    const page = await signIn(org.adminToken);
    await page.goto(`${suite.stack.gatewayUrl}/#/jobs/${preview.id}`);
    await page.getByRole('heading', { name: 'Changes an apply would make' }).waitFor();
    await page.locator('#changes-table').waitFor();
    expect(await changeRows(page)).toEqual(PREVIEWED);
    await screenshot(page, '08-preview');

    await page.getByRole('button', { name: 'Apply this upload' }).click();
    const applied = await waitFor(
      'the page to move to the new job',
      () => {
        const id = /#\/jobs\/([0-9a-f-]{36})$/.exec(page.url())?.[1];
        return id && id !== preview.id ? id : undefined;
      },
      30_000,
      100,
    );
    // The new job's own badge: until its page loads, the page still shows the preview, COMPLETED too.
    await page
      .locator(`[data-job-id="${applied}"] [data-status="COMPLETED"]`)
      .waitFor({ timeout: 60_000 });
    const job = (await suite.api.get<JobView>(`/v1/jobs/${applied}`, org.adminToken)).body;
    expect(job).toMatchObject({ mode: 'apply', fileName: 'sites.csv', status: 'COMPLETED' });
    expect(job.counts).toMatchObject({ created: 1, updated: 1, unchanged: 1 });
    await page.getByRole('heading', { name: 'Changes', exact: true }).waitFor();
    await waitFor('the changes of the applied job', async () =>
      (await page.locator('#changes-table tbody tr').count()) === 2 ? true : undefined,
    );
    expect(await changeRows(page)).toEqual(PREVIEWED);
    expect(await page.getByRole('button', { name: 'Apply this upload' }).count()).toBe(0);
    await screenshot(page, '08-applied');

    const sites = await suite.context.dataSource.query<{ name: string; mmp: string }[]>(
      `SELECT name, multimedia_profile AS mmp FROM site WHERE organization_id = $1 ORDER BY name`,
      [org.orgId],
    );
    expect(sites).toEqual([
      { name: 'Austin', mmp: 'MMP Sales' },
      { name: 'Boston', mmp: 'MMP East' },
      { name: 'Denver', mmp: 'MMP Default' },
    ]);
  });
});
