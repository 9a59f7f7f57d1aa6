import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const CLI = join(__dirname, '..', '..', '..', 'services', 'cli', 'bin', 'bulkops.js');

/**
 * Runs the built `bulkops` command against a gateway with a token, as a script would (only PATH,
 * BULKOPS_URL and BULKOPS_TOKEN in its environment); rejects when it exits non-zero.
 */
export function bulkops(
  gatewayUrl: string,
  token: string,
  args: readonly string[],
  cwd?: string,
): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, [CLI, ...args], {
    cwd,
    env: { PATH: process.env['PATH'] ?? '', BULKOPS_URL: gatewayUrl, BULKOPS_TOKEN: token },
  });
}
