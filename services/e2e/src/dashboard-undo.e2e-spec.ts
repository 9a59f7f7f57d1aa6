import type { Page } from 'playwright-core';
import type { JobView } from '@bulkops/contracts';
import { createOrganization } from '@bulkops/testing';
import { screenshot, signInToDashboard, useBrowserSuite } from './support/browser';

const SITES = 'Name,Multimedia Profile\r\nUndo Austin,MMP Default\r\nUndo Denver,MMP Default\r\n';

/**
 * Undo from the dashboard's Job page (`POST /v1/jobs/{id}/undo`, spec/api.md) in headless Chromium
 * against the built services: the button shows only on the organization's latest finished job that
 * changed objects and only to admins; it asks for a confirmation, then opens the new undo job,
 * which ends having restored the state before the job.
 */
describe('undoing a job from the dashboard', () => {
  const suite = useBrowserSuite();

  const open = async (token: string, jobId: string): Promise<Page> => {
    const page = await signInToDashboard(
      await suite.newPage({ locale: 'en-US' }),
      suite.stack.gatewayUrl,
      token,
    );
    await page.goto(`${suite.stack.gatewayUrl}/#/jobs/${jobId}`);
    await page.locator('[data-status]').first().waitFor();
    return page;
  };

  const sites = async (orgId: string) =>
    (
      await suite.context.dataSource.query<{ name: string }[]>(
        `SELECT name FROM site WHERE organization_id = $1 ORDER BY name`,
        [orgId],
      )
    ).map((r) => r.name);

  it('offers Undo on the latest job only, confirms, and opens the undo job that restores the state before it', async () => {
    const org = await createOrganization(suite.context.dataSource);
    const older = await suite.api.run(org.adminToken, 'site', {
      name: 'first.csv',
      content: 'Name,Multimedia Profile\r\nUndo Kept,MMP Default\r\n',
    });
    const latest = await suite.api.run(org.adminToken, 'site', {
      name: 'sites.csv',
      content: SITES,
    });
    expect(latest.status).toBe('COMPLETED');

    const olderPage = await open(org.adminToken, older.id);
    await olderPage.locator('[data-undo="not-latest"]').waitFor({ state: 'attached' });
    expect(await olderPage.getByRole('button', { name: 'Undo' }).count()).toBe(0);

    // Viewers get no undo control at all (the gateway answers them 403 anyway).
    const viewerPage = await open(org.viewerToken, latest.id);
    await viewerPage.getByRole('button', { name: 'Download error file' }).waitFor();
    expect(await viewerPage.locator('[data-undo]').count()).toBe(0);
    expect(await viewerPage.getByRole('button', { name: 'Undo' }).count()).toBe(0);

    const page = await open(org.adminToken, latest.id);
    await page.getByRole('button', { name: 'Undo', exact: true }).click();
    await page.getByRole('group', { name: 'Confirm the undo' }).waitFor();
    await screenshot(page, '09-undo-confirm');
    await page.getByRole('button', { name: 'Yes, undo' }).click();
    await page.waitForURL((url) => !url.hash.endsWith(latest.id));
    const undoId = decodeURIComponent(new URL(page.url()).hash.split('/').at(-1)!);
    // The undo job's own badge: until its page loads, the page still shows the job undone, COMPLETED too.
    await page
      .locator(`[data-job-id="${undoId}"] [data-status="COMPLETED"]`)
      .waitFor({ timeout: 60_000 });
    await page.getByText(`Undo of ${latest.id}`).waitFor();
    await screenshot(page, '10-undo-done');

    const undo = (await suite.api.get<JobView>(`/v1/jobs/${undoId}`, org.adminToken)).body;
    expect(undo).toMatchObject({ mode: 'undo', undoOf: latest.id, status: 'COMPLETED' });
    expect(undo.counts.deleted).toBe(2);
    expect(await sites(org.orgId)).toEqual(['Undo Kept']);
  });
});
