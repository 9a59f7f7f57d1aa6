import { JobStatus, type JobView } from '@bulkops/contracts';
import {
  buildZip,
  createOrganization,
  parseCsv,
  readZip,
  startServices,
  stopServices,
  waitFor,
  type ApiDriver,
  type ServiceName,
  type Stack,
  type TestContext,
  type TestOrganization,
  type Upload,
} from '@bulkops/testing';
import { teamLines } from './support/team-upload';

/**
 * Sites (Ghost rejected: no Multimedia Profile) and 3 × 1500 teams, 5 per file on Ghost (blocked)
 * and 4 on Nowhere (missing): a two-type bundle long enough to be disturbed while its
 * second type is applied.
 */
async function bundleUpload(): Promise<Upload> {
  const teams = Array.from({ length: 3 }, (_, f) => {
    const lines = ['Name,Site,Type'];
    for (let r = 0; r < 1500; r += 1) {
      const site =
        r % 300 === 7 ? 'Ghost' : r % 301 === 5 ? 'Nowhere' : r % 2 === 0 ? 'Austin' : 'Denver';
      lines.push(`B${f}-${r},${site},AGENT`);
    }
    return { name: `team-${f + 1}.csv`, content: `${lines.join('\r\n')}\r\n` };
  });
  const sites = 'Name,Multimedia Profile\r\nAustin,MMP\r\nDenver,MMP\r\nGhost,\r\n';
  return {
    name: 'bundle.zip',
    content: await buildZip([{ name: 'site.csv', content: sites }, ...teams]),
  };
}

/** What a finished bundle job left behind, to compare with the undisturbed run. */
interface Outcome {
  status: string;
  counts: JobView['counts'];
  sections: { object: string; counts: JobView['counts'] }[];
  teams: string[];
  errors: [string, string[][]][];
}

/**
 * A bundle job through faults (spec/architecture.md "Exactly-once effect"; spec/api.md "Bundles"):
 * the worker or status SIGKILLed while the bundle's second type is applied ends exactly like an
 * undisturbed run — tables, per-type counts, error zip — and a cancel counts what was applied and
 * leaves the rest, of every type, in the error zip.
 */
describe('bundle jobs through faults and cancels', () => {
  let context: TestContext;
  let stack: Stack;
  let api: ApiDriver;
  let upload: Upload;
  let undisturbed: Outcome;

  beforeAll(async () => {
    ({ context, stack, api } = await startServices({
      env: { INGEST_CHUNK_SIZE: '250', WORKER_CONCURRENCY: '1' },
    }));
    upload = await bundleUpload();
    const org = await createOrganization(context.dataSource);
    undisturbed = await outcomeOf(org, await api.run(org.adminToken, 'bundle', upload, {}));
  }, 120_000);

  afterAll(() => stopServices({ context, stack }));

  async function outcomeOf(org: TestOrganization, job: JobView): Promise<Outcome> {
    const zip = await api.download(`/v1/jobs/${job.id}/errors`, org.adminToken);
    const errors = (await readZip(zip.bytes)).map((e): [string, string[][]] => [
      e.name,
      parseCsv(e.content.toString('utf8').replace(/^\uFEFF/, '')),
    ]);
    return {
      status: job.status,
      counts: job.counts,
      sections: job.sections!.map((s) => ({ object: s.object, counts: s.counts })),
      teams: await teamLines(context.dataSource, org.orgId),
      errors,
    };
  }

  /** Submits the bundle and answers once its teams are being applied. */
  async function submittedIntoTeams(org: TestOrganization): Promise<string> {
    const answer = await api.submit(org.adminToken, 'bundle', upload);
    expect(answer.status).toBe(202);
    await waitFor(
      'the bundle to apply its teams',
      async () => {
        const job = (await api.get<JobView>(`/v1/jobs/${answer.body.id}`, org.adminToken)).body;
        const teams = job.sections?.find((s) => s.object === 'team');
        return job.applying === 'team' && teams && teams.counts.processed > 0 ? true : undefined;
      },
      60_000,
      20,
    );
    return answer.body.id;
  }

  it('applied sites before any team, and blocked the teams of the rejected site', () => {
    expect(undisturbed.status).toBe(JobStatus.CompletedWithErrors);
    expect(undisturbed.sections).toEqual([
      { object: 'site', counts: expect.objectContaining({ created: 2, failed: 1 }) },
      { object: 'team', counts: expect.objectContaining({ total: 4500, processed: 4500 }) },
    ]);
    const teamErrors = undisturbed.errors.find(([name]) => name === 'team-errors.csv')![1];
    const messages = teamErrors.slice(1).map((row) => row.at(-1));
    expect(
      messages.filter((m) => m!.includes("Site 'Ghost' was not created: site.csv row 4")),
    ).toHaveLength(15);
    // Row 607 of each file is on Ghost, not Nowhere: 4 per file.
    expect(messages.filter((m) => m!.includes("no site named 'Nowhere'"))).toHaveLength(12);
  });

  it.each<ServiceName>(['worker', 'status'])(
    'ends exactly like an undisturbed run when %s is SIGKILLed during the second type',
    async (service) => {
      const org = await createOrganization(context.dataSource);
      const id = await submittedIntoTeams(org);
      await stack.kill(service);
      await stack.startService(service);
      const job = await api.finished(org.adminToken, id, 120_000);
      expect(await outcomeOf(org, job)).toEqual(undisturbed);
    },
    180_000,
  );

  it('cancels a bundle: applied rows counted per type, every other row in the error zip', async () => {
    const org = await createOrganization(context.dataSource);
    const id = await submittedIntoTeams(org);
    expect((await api.request('POST', `/v1/jobs/${id}/cancel`, org.adminToken)).status).toBe(202);
    const job = await api.finished(org.adminToken, id, 120_000);
    expect(job.status).toBe(JobStatus.Cancelled);
    const teams = job.sections!.find((s) => s.object === 'team')!.counts;
    const outcome = await outcomeOf(org, job);
    expect(teams.created).toBe(outcome.teams.length);
    const teamErrors = outcome.errors.find(([name]) => name === 'team-errors.csv')![1].slice(1);
    expect(teamErrors).toHaveLength(4500 - teams.created);
    expect(
      teamErrors.some((row) => row.at(-1)!.startsWith('Not applied: the job was cancelled')),
    ).toBe(true);
    expect(job.counts.processed).toBe(job.counts.total);
  }, 180_000);
});
