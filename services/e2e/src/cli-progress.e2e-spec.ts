import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  createOrganization,
  startServices,
  stopServices,
  type Stack,
  type TestContext,
  type TestOrganization,
} from '@bulkops/testing';

const run = promisify(execFile);
const CLI = join(__dirname, '..', '..', 'cli', 'bin', 'bulkops.js');
const ROWS = 5000;
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/** What a finished command printed and how it exited. */
interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The CLI's live view of a job: a progress bar fed by the job's event stream when the output is a
 * terminal (a pseudo-terminal from util-linux `script`), plain lines when piped; and `bulkops jobs`
 * as the seed's table.
 */
describe('the bulkops command following jobs', () => {
  let context: TestContext;
  let stack: Stack;
  let org: TestOrganization;
  let dir: string;

  const env = () => ({
    PATH: process.env['PATH'] ?? '',
    BULKOPS_URL: stack.gatewayUrl,
    BULKOPS_TOKEN: org.adminToken,
    TZ: 'UTC',
  });

  async function piped(...args: string[]): Promise<Ran> {
    return run(process.execPath, [CLI, ...args], { cwd: dir, env: env() }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: Ran) => error,
    );
  }

  /** Runs the CLI with its stdout on a pseudo-terminal; `script` passes the exit code on (-e). */
  async function onTerminal(...args: string[]): Promise<Ran> {
    const command = [process.execPath, CLI, ...args].map((a) => `'${a}'`).join(' ');
    return run('script', ['-qfec', command, '/dev/null'], {
      cwd: dir,
      env: { ...env(), COLUMNS: '100', LINES: '30' },
    }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: Ran) => error,
    );
  }

  async function sites(name: string, prefix: string): Promise<void> {
    const rows = Array.from({ length: ROWS }, (_, i) => `${prefix} ${i},MMP Default,`);
    await writeFile(join(dir, name), ['Name,Multimedia Profile,Action', ...rows].join('\n'));
  }

  beforeAll(async () => {
    ({ context, stack } = await startServices());
    org = await createOrganization(context.dataSource);
    dir = await mkdtemp(join(tmpdir(), 'bulkops-cli-progress-'));
    await sites('first.csv', 'First');
    await sites('second.csv', 'Second');
  });

  afterAll(() => stopServices({ context, stack }));

  it('draws a progress bar in place on a terminal while the job runs', async () => {
    const ran = await onTerminal('import', 'site', 'first.csv', '--wait');
    expect(ran.code).toBe(0);
    // Redrawn in place: carriage return and erase-line before each frame, never a new line between.
    const frames = ran.stdout.split('\r\u001b[2K').slice(1);
    expect(frames.length).toBeGreaterThanOrEqual(1);
    for (const frame of frames.slice(0, -1)) expect(frame).not.toContain('\n');
    for (const frame of frames) {
      expect(frame).toMatch(
        /^\[[█░]{10,40}\] +\d{1,3}% {2}([\d,]+\/5,000 rows|reading the upload) {2}/,
      );
    }
    const last = frames.at(-1)!.split(/\r?\n/)[0];
    expect(last).toMatch(/^\[█+\] {2}100% {2}5,000\/5,000 rows {2}.*Completed$/);
    expect(ran.stdout).toMatch(new RegExp(`${UUID} site Completed: 5000/5000 rows, 5000 created`));
  });

  it('prints plain progress lines on stderr, and only the result on stdout, when piped', async () => {
    const ran = await piped('import', 'site', 'second.csv', '--wait');
    expect(ran.code).toBe(0);
    expect(ran.stdout + ran.stderr).not.toMatch(/[\r\u001b]/);
    // Progress on stderr, the result alone on stdout, for scripts to read.
    const progress = ran.stderr.trim().split('\n');
    expect(progress.length).toBeGreaterThanOrEqual(1);
    for (const line of progress) {
      expect(line).toMatch(
        new RegExp(`^${UUID} (New|In Progress|Completed) \\d{1,3}% \\d+/\\d+ rows$`),
      );
    }
    expect(ran.stdout).toMatch(new RegExp(`^${UUID} site Completed: 5000/5000 rows[^\n]*\n$`));
  });

  it("lists jobs as the seed's table, filtered and paged", async () => {
    const all = await piped('jobs');
    expect(all.code).toBe(0);
    const [header, rule, ...rows] = all.stdout.trim().split('\n');
    expect(header.split(/ {2,}/)).toEqual([
      'Job ID',
      'File Name',
      'Object',
      'Status',
      'Submitted By',
      'Submitted At',
    ]);
    expect(rule).toMatch(/^[- ]+$/);
    expect(rows).toHaveLength(2);
    // Newest first.
    expect(rows.map((row) => row.split(/ {2,}/).slice(1))).toEqual([
      [
        'second.csv',
        'site',
        'Completed',
        'Ada Admin',
        expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d$/),
      ],
      [
        'first.csv',
        'site',
        'Completed',
        'Ada Admin',
        expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d$/),
      ],
    ]);

    const firstPage = await piped('jobs', '--object', 'site', '--limit', '1');
    const pageLines = firstPage.stdout.trim().split('\n');
    expect(pageLines[2]).toContain('second.csv');
    const more = /^more: bulkops jobs --object site --limit 1 --cursor (\S+)$/.exec(pageLines[3]);
    expect(more).not.toBeNull();
    const next = await piped('jobs', '--object', 'site', '--limit', '1', '--cursor', more![1]);
    const nextLines = next.stdout.trim().split('\n');
    expect(nextLines[2]).toContain('first.csv');
    expect(nextLines).toHaveLength(3);

    expect((await piped('jobs', '--status', 'FAILED')).stdout.trim()).toBe('no jobs');
    expect((await piped('jobs', '--object', 'team')).stdout.trim()).toBe('no jobs');
  });
});
