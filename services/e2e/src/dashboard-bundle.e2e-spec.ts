import { JobStatus, type JobView } from '@bulkops/contracts';
import { buildZip, createOrganization } from '@bulkops/testing';
import { screenshot, signInToDashboard, useBrowserSuite } from './support/browser';

/**
 * A bundle uploaded from the dashboard's Import page (spec/api.md "Bundles") in headless Chromium
 * against the built services: the page offers "bundle" as an object choice, explains the layout,
 * follows the one job to Completed and lists its types in the order they were applied.
 */
describe('a bundle from the dashboard', () => {
  const suite = useBrowserSuite();

  it('uploads a zip of several types as one bundle job and follows it to Completed', async () => {
    const org = await createOrganization(suite.context.dataSource);
    const page = await signInToDashboard(
      await suite.newPage({ locale: 'en-US' }),
      suite.stack.gatewayUrl,
      org.adminToken,
    );
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Import', exact: true })
      .click();
    await page.getByLabel('Object type').selectOption('bundle');
    await page.getByRole('heading', { name: 'Bundle' }).waitFor();
    const zip = await buildZip([
      { name: 'team.csv', content: 'Name,Site,Type\r\nSales,Austin,AGENT\r\n' },
      { name: 'site.csv', content: 'Name,Multimedia Profile\r\nAustin,MMP\r\n' },
    ]);
    await page.getByLabel('File (.csv or .zip)').setInputFiles({
      name: 'config.zip',
      mimeType: 'application/zip',
      buffer: zip,
    });
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.waitForURL(/#\/jobs\/[0-9a-f-]{36}$/);
    const jobId = page.url().split('/').at(-1)!;
    await page
      .locator(`[data-job-id="${jobId}"] [data-status="COMPLETED"]`)
      .waitFor({ timeout: 60_000 });
    await page.locator('#sections tr[data-section="team"]').waitFor();
    expect(
      await page
        .locator('#sections tbody tr')
        .evaluateAll((rows) => rows.map((r) => (r as any).dataset.section)),
    ).toEqual(['site', 'team']);
    expect(await page.locator('#sections tr[data-section="site"] td').nth(1).textContent()).toBe(
      'site.csv',
    );
    await screenshot(page, 'bundle-completed');
    const job = (await suite.api.get<JobView>(`/v1/jobs/${jobId}`, org.adminToken)).body;
    expect(job).toMatchObject({
      object: 'bundle',
      status: JobStatus.Completed,
      fileName: 'config.zip',
      counts: { created: 2 },
    });
    expect(job.sections!.map((s) => [s.object, s.counts.created])).toEqual([
      ['site', 1],
      ['team', 1],
    ]);
  });
});
