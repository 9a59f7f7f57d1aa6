import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  bulkops,
  createOrganization,
  startServices,
  stopServices,
  type Stack,
  type TestContext,
  type TestOrganization,
} from '@bulkops/testing';

/** The `bulkops` API client against the running services, as a script would use it. */
describe('the bulkops command as an API client', () => {
  let context: TestContext;
  let stack: Stack;
  let org: TestOrganization;
  let dir: string;
  const cli = (...args: string[]) =>
    bulkops(stack.gatewayUrl, org.adminToken, args, dir).catch(
      (error: { code: number; stdout: string; stderr: string }) => error,
    );

  beforeAll(async () => {
    ({ context, stack } = await startServices());
    org = await createOrganization(context.dataSource);
    dir = await mkdtemp(join(tmpdir(), 'bulkops-cli-'));
  });

  afterAll(() => stopServices({ context, stack }));

  it('writes a template and says where', async () => {
    const { stdout } = (await cli('template', 'site')) as { stdout: string };
    expect(stdout).toBe('wrote site-template.csv\n');
    expect(await readFile(join(dir, 'site-template.csv'), 'utf8')).toBe(
      '\uFEFFName,Multimedia Profile,Action\r\n',
    );
  });

  it('imports and waits, exits 2 when rows were rejected, and downloads the error file', async () => {
    await writeFile(join(dir, 'sites.csv'), 'Name,Multimedia Profile\nAustin,MMP\nBad!,MMP\n');
    const imported = (await cli('import', 'site', 'sites.csv', '--wait')) as {
      code?: number;
      stdout: string;
    };
    expect(imported.code).toBe(2);
    const jobId =
      /^([0-9a-f-]{36}) site Completed With Errors: 2\/2 rows, 1 created, 0 updated, 0 deleted, 0 unchanged, 1 failed$/m.exec(
        imported.stdout,
      )?.[1];
    expect(jobId).toBeDefined();
    expect(imported.stdout).toContain(`rejected rows: bulkops errors ${jobId}`);
    const errors = (await cli('errors', jobId!, '-o', 'fix-me.csv')) as { stdout: string };
    expect(errors.stdout).toBe('wrote fix-me.csv\n');
    expect(await readFile(join(dir, 'fix-me.csv'), 'utf8')).toContain('Bad!,MMP,sites.csv,3,');
    const jobs = (await cli('jobs')) as { stdout: string };
    expect(jobs.stdout).toContain(jobId);
  });

  it('exits 0 for a clean job and explains refusals in one line', async () => {
    await writeFile(join(dir, 'ok.csv'), 'Name,Multimedia Profile\nDenver,MMP\n');
    expect(
      ((await cli('import', 'site', 'ok.csv', '--wait')) as { code?: number }).code,
    ).toBeUndefined();
    const refused = (await cli('import', 'spaceship', 'ok.csv')) as {
      code: number;
      stderr: string;
    };
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^bulkops: 'spaceship' is not an object type; use one of .* \(404 UNKNOWN_OBJECT_TYPE\)\n$/,
    );
  });
});
