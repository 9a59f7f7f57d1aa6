import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { hashApiToken } from '@bulkops/database';
import { createTestContext, type TestContext } from '@bulkops/testing';

const run = promisify(execFile);
const CLI = join(__dirname, '..', '..', 'bin', 'bulkops.js');

/** The provisioning commands of spec/api.md, run as a user runs them (the built CLI). */
describe('bulkops admin', () => {
  let context: TestContext;
  const cli = (...args: string[]) =>
    run(process.execPath, [CLI, 'admin', ...args], {
      env: { PATH: process.env['PATH'] ?? '', DATABASE_URL: context.env['DATABASE_URL'] },
    });

  beforeAll(async () => {
    context = await createTestContext();
  });

  afterAll(async () => {
    await context?.dispose();
  });

  it('creates an organization with its administrator and a token stored only as a hash', async () => {
    const { stdout } = await cli(
      'create-org',
      '--name',
      'Acme',
      '--admin-name',
      'Ada Admin',
      '--admin-email',
      'ada@example.com',
    );
    const issued = JSON.parse(stdout) as {
      orgId: string;
      adminId: string;
      tokenId: string;
      token: string;
      role: string;
    };
    expect(issued).toMatchObject({
      role: 'admin',
      token: expect.stringMatching(/^bko_[A-Za-z0-9_-]{43}$/),
    });
    const [row] = await context.dataSource.query(
      `SELECT token_hash, role, revoked_at FROM api_token WHERE id = $1`,
      [issued.tokenId],
    );
    expect(row).toEqual({
      token_hash: hashApiToken(issued.token),
      role: 'admin',
      revoked_at: null,
    });
    expect(JSON.stringify(await context.dataSource.query(`SELECT * FROM api_token`))).not.toContain(
      issued.token,
    );
  });

  it('issues a viewer token, adding the administrator when named, and revokes it', async () => {
    const org = JSON.parse(
      (
        await cli(
          'create-org',
          '--name',
          'Beta',
          '--admin-name',
          'Bo',
          '--admin-email',
          'bo@example.com',
        )
      ).stdout,
    ) as { orgId: string };
    const viewer = JSON.parse(
      (
        await cli(
          'create-token',
          '--org',
          org.orgId,
          '--admin-email',
          'vic@example.com',
          '--admin-name',
          'Vic',
          '--role',
          'viewer',
        )
      ).stdout,
    ) as { tokenId: string; role: string };
    expect(viewer.role).toBe('viewer');
    expect(JSON.parse((await cli('revoke-token', '--token-id', viewer.tokenId)).stdout)).toEqual({
      tokenId: viewer.tokenId,
      revoked: true,
    });
    const [row] = await context.dataSource.query(`SELECT revoked_at FROM api_token WHERE id = $1`, [
      viewer.tokenId,
    ]);
    expect(row.revoked_at).not.toBeNull();
  });

  it('says in one line what is wrong with a command', async () => {
    const failure = await cli(
      'create-token',
      '--org',
      '00000000-0000-4000-8000-000000000000',
      '--admin-email',
      'x@example.com',
    ).catch((e: { code: number; stderr: string }) => e);
    expect(failure).toMatchObject({
      code: 1,
      stderr:
        'bulkops: No organization has the id 00000000-0000-4000-8000-000000000000; check --org\n',
    });
    const unknownAdmin = JSON.parse(
      (
        await cli(
          'create-org',
          '--name',
          'C',
          '--admin-name',
          'C',
          '--admin-email',
          'c@example.com',
        )
      ).stdout,
    ) as { orgId: string };
    const missing = await cli(
      'create-token',
      '--org',
      unknownAdmin.orgId,
      '--admin-email',
      'nobody@example.com',
    ).catch((e: { stderr: string }) => e);
    expect(missing.stderr).toContain('nobody@example.com is not an administrator of organization');
  });
});
