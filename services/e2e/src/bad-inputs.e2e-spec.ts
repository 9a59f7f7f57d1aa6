import { readdir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { JobView } from '@bulkops/contracts';
import { OBJECT_TYPES } from '@bulkops/objects';
import {
  type Answer,
  type ApiDriver,
  buildWav,
  buildZip,
  createOrganization,
  parseCsv,
  type ServiceName,
  type Stack,
  type TestContext,
  type TestOrganization,
  startServices,
  stopServices,
} from '@bulkops/testing';
import { type BadInput, bytesOf, loadManifest } from './support/bad-inputs';

const SERVICES: readonly ServiceName[] = ['gateway', 'ingest', 'worker', 'status'];
const MAX_RSS_KB = 256 * 1024;
/** The most an error answer may weigh (issue 13 #13). */
const MAX_ERROR_BODY_BYTES = 4096;
const MAX_JOB_VIEW_BYTES = 16 * 1024;
const FORMULA_START = /^[=+\-@\t\r]/;

const manifest = loadManifest();

/** What every service process holds open under the storage directory. */
async function storageDescriptors(pid: number, storageDir: string): Promise<string[]> {
  const fds = await readdir(`/proc/${pid}/fd`);
  const targets = await Promise.all(
    fds.map((fd) => readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')),
  );
  return targets.filter((t) => t.startsWith(storageDir));
}

/** Peak resident memory of a process so far (VmHWM), in KB. */
async function peakRssKb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1]);
}

/** A fingerprint of every object of an organization, table by table. */
async function objectsOf(context: TestContext, orgId: string): Promise<Record<string, string>> {
  const tables: Record<string, string> = {};
  for (const declaration of OBJECT_TYPES) {
    const [row] = await context.dataSource.query<{ rows: number; digest: string | null }[]>(
      `SELECT count(*)::int AS rows, md5(string_agg(t::text, '|' ORDER BY t::text)) AS digest
         FROM "${declaration.table}" t WHERE t.organization_id = $1`,
      [orgId],
    );
    tables[declaration.table] = `${row.rows}:${row.digest ?? ''}`;
  }
  return tables;
}

/** An error answer is the contract's body, and small. */
function expectContractError(answer: Answer, status: number, code: string): void {
  expect(answer.status).toBe(status);
  expect(answer.bytes.length).toBeLessThanOrEqual(MAX_ERROR_BODY_BYTES);
  expect(answer.body).toMatchObject({
    statusCode: status,
    error: expect.any(String),
    message: expect.any(String),
    code,
  });
  expect(answer.text).not.toMatch(/node_modules|\/dist\/|\bat \w+ \(|SELECT |INSERT /);
}

/**
 * The bad-input corpus (fixtures/bad-inputs, issue 13) through the real stack: every upload ends
 * as its manifest says, with a clear code or row errors; a control organization's objects never
 * change; every service stays ready, keeps nothing open under storage and stays under 256 MB.
 */
describe('the bad-input corpus', () => {
  let context: TestContext;
  let stack: Stack;
  let api: ApiDriver;
  let control: TestOrganization;
  let controlObjects: Record<string, string>;
  /** Peak RSS of each service after each case, so a failure says which cases pushed it up. */
  const peaksAfter: { label: string; peaks: Record<string, number> }[] = [];

  async function ready(service: ServiceName): Promise<boolean> {
    // A keep-alive connection the service closed just as it was reused fails once; ask again.
    for (let attempt = 0; ; attempt += 1) {
      try {
        return (await fetch(`${stack.url(service)}/health/ready`)).ok;
      } catch (error) {
        if (attempt > 0) throw error;
      }
    }
  }

  async function recordPeaks(label: string): Promise<void> {
    const peaks: Record<string, number> = {};
    for (const service of SERVICES) peaks[service] = await peakRssKb(stack.pid(service)!);
    peaksAfter.push({ label, peaks });
  }

  beforeAll(async () => {
    ({ context, stack, api } = await startServices());
    control = await createOrganization(context.dataSource);
    const seeded = [
      await api.run(control.adminToken, 'site', {
        name: 'sites.csv',
        content: 'Name,Multimedia Profile\nAustin,MMP\nDup,MM\nZipped,MM\nSimple,MM\n',
      }),
      await api.run(control.adminToken, 'audio-file', {
        name: 'prompts.zip',
        content: await buildZip([{ name: 'good.wav', content: buildWav() }]),
      }),
    ];
    expect(seeded.map((job) => job.status)).toEqual(['COMPLETED', 'COMPLETED']);
    controlObjects = await objectsOf(context, control.orgId);
  });

  afterAll(() => stopServices({ context, stack }));

  it('has at least 40 committed files and a case for each', async () => {
    const committed = (await readdir(join(__dirname, '..', 'fixtures', 'bad-inputs'))).filter(
      (f) => f !== 'manifest.json',
    );
    expect(committed.length).toBeGreaterThanOrEqual(40);
    const used = new Set(manifest.filter((c) => !c.generated).map((c) => c.file));
    expect(committed.filter((f) => !used.has(f))).toEqual([]);
  });

  async function submit(org: TestOrganization, input: BadInput): Promise<Answer<JobView>> {
    return api.submit(
      org.adminToken,
      input.object,
      { name: input.uploadAs ?? input.file, content: bytesOf(input) },
      input.mode ? { mode: input.mode } : {},
    );
  }

  async function rowErrorCounts(jobId: string): Promise<Record<string, number>> {
    const rows = await context.dataSource.query<{ code: string; n: number }[]>(
      `SELECT code, count(*)::int AS n FROM row_error, unnest(codes) AS code WHERE job_id = $1 GROUP BY code`,
      [jobId],
    );
    return Object.fromEntries(rows.map((r) => [r.code, r.n]));
  }

  it.concurrent.each(
    manifest.map((input) => [`${input.file} as ${input.object.slice(0, 20)}`, input]),
  )(
    '%s ends as the manifest says',
    async (label, input) => {
      const org = await createOrganization(context.dataSource);
      const expected = input.expect;
      const answer = await submit(org, input);
      try {
        await checkOutcome(org, input, expected, answer);
      } finally {
        await recordPeaks(label);
      }
    },
    120_000,
  );

  async function checkOutcome(
    org: TestOrganization,
    input: BadInput,
    expected: BadInput['expect'],
    answer: Answer<JobView>,
  ): Promise<void> {
    if ('http' in expected) {
      expectContractError(answer, expected.http, expected.code);
      expect((await api.get('/v1/jobs/active', org.adminToken)).status).toBe(204);
      return;
    }
    expect(answer.status).toBe(202);
    const job = await api.finished(org.adminToken, answer.body.id, 90_000);
    const view = await api.get<JobView>(`/v1/jobs/${job.id}`, org.adminToken);
    expect(view.bytes.length).toBeLessThanOrEqual(MAX_JOB_VIEW_BYTES);
    if (expected.status === 'FAILED') {
      expect(job.status).toBe('FAILED');
      expect(job.failure).toMatchObject({
        code: expected.failure,
        ...(expected.failureFile !== undefined ? { file: expected.failureFile } : {}),
      });
      expect(job.failure!.message.length).toBeLessThanOrEqual(1000);
      expect(job.counts).toMatchObject({ processed: 0, created: 0, updated: 0, deleted: 0 });
      expect(Object.values(await objectsOf(context, org.orgId)).every((t) => t === '0:')).toBe(
        true,
      );
      return;
    }
    expect({ status: job.status, created: job.counts.created }).toEqual({
      status: expected.status,
      created: expected.created,
    });
    expect(await rowErrorCounts(job.id)).toEqual(expected.rowErrors);
    for (const summary of job.errorSummary) expect(summary.message.length).toBeLessThan(500);
    // Every cell of the error report that a spreadsheet would run is neutralised.
    const report = await api.errorRows(org.adminToken, job.id);
    expect(report.flat().filter((cell) => FORMULA_START.test(cell))).toEqual([]);
    for (const service of SERVICES) expect(await ready(service)).toBe(true);
  }

  it('writes user-controlled file names into the error report neutralised', async () => {
    const org = await createOrganization(context.dataSource);
    const input = manifest.find((c) => c.file === 'zip-formula-names.zip')!;
    const job = await api.run(org.adminToken, 'site', {
      name: input.file,
      content: bytesOf(input),
    });
    const rows = parseCsv(
      (await api.get(`/v1/jobs/${job.id}/errors`, org.adminToken)).text.replace(/^\uFEFF/, ''),
    );
    expect(
      rows
        .slice(1)
        .map((r) => r[2])
        .sort(),
    ).toEqual(["'+1.csv", "'-x.csv", "'=2+5.csv", "'@SUM(1).csv"]);
  });

  it('names three rows and counts the rest for 100,000 copies of a key, in a small job view', async () => {
    const org = await createOrganization(context.dataSource);
    const input = manifest.find((c) => c.file === 'duplicates-bomb.zip')!;
    const bytes = bytesOf(input);
    expect(bytes.length).toBeLessThan(8 * 1024);
    const job = await api.run(org.adminToken, 'site', { name: input.file, content: bytes }, {});
    const view = await api.get<JobView>(`/v1/jobs/${job.id}`, org.adminToken);
    expect(view.bytes.length).toBeLessThan(4096);
    expect(view.body.counts).toMatchObject({ total: 100_000, failed: 100_000, created: 0 });
    // Rows of the 19 other files name the first file's rows; those of the first file, its own.
    expect(view.body.errorSummary[0]).toEqual({
      count: 95_000,
      message:
        "Name: 'Dup' is also on row 2 of dup-00.csv, row 3 of dup-00.csv, row 4 of dup-00.csv and 99,996 more; a site may appear on one row of a job only, so keep one of these rows",
    });
  });

  it('leaves the control organization, readiness, storage and memory as they were', async () => {
    expect(await objectsOf(context, control.orgId)).toEqual(controlObjects);
    const peaks: Record<string, number> = {};
    for (const service of SERVICES) {
      expect(await ready(service)).toBe(true);
      const pid = stack.pid(service)!;
      expect(await storageDescriptors(pid, context.storageDir)).toEqual([]);
      peaks[service] = await peakRssKb(pid);
    }
    process.stdout.write(`bad-input corpus: peak RSS (KB) ${JSON.stringify(peaks)}\n`);
    const over = Object.entries(peaks)
      .filter(([, kb]) => !(kb < MAX_RSS_KB))
      .map(([service, kb]) => {
        const first = peaksAfter.find((p) => p.peaks[service] >= MAX_RSS_KB);
        return `${service} peaked at ${kb} KB, first over the limit after ${first?.label ?? '?'}`;
      });
    expect(over).toEqual([]);
    const entries = await readdir(context.storageDir, { recursive: true });
    expect(entries.filter((e) => e.endsWith('.part'))).toEqual([]);
    expect(entries.filter((e) => e.startsWith('incoming/'))).toEqual([]);
  });
});
