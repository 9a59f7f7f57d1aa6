import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort, waitFor } from '@bulkops/testing';

const BIN = '/usr/lib/postgresql/15/bin';

/**
 * A Postgres cluster of the test's own (initdb under /tmp, a free port, run as the `postgres` user),
 * so the chaos tier can restart it. The shared server of the machine is never touched.
 */
export class OwnPostgres {
  private child: ChildProcess | null = null;

  private constructor(
    private readonly dataDir: string,
    readonly port: number,
  ) {}

  static async start(): Promise<OwnPostgres> {
    const dataDir = mkdtempSync(join(tmpdir(), 'bulkops-chaos-pg-'));
    chownSync(dataDir, ...postgresIds());
    execFileSync(
      'runuser',
      ['-u', 'postgres', '--', `${BIN}/initdb`, '-D', dataDir, '-A', 'trust', '-U', 'postgres'],
      {
        stdio: 'ignore',
      },
    );
    const pg = new OwnPostgres(dataDir, await freePort());
    await pg.restart();
    const client = new Client({ connectionString: pg.url('postgres') });
    await client.connect();
    await client.query('CREATE DATABASE bulkops');
    await client.end();
    return pg;
  }

  url(database = 'bulkops'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  /** Starts the server and waits until it takes connections. */
  async restart(): Promise<void> {
    this.child = spawn(
      'runuser',
      [
        '-u',
        'postgres',
        '--',
        `${BIN}/postgres`,
        '-D',
        this.dataDir,
        '-p',
        String(this.port),
        '-k',
        this.dataDir,
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'fsync=off',
      ],
      { stdio: 'ignore' },
    );
    await waitFor('the own Postgres to take connections', async () => {
      const client = new Client({ connectionString: this.url('postgres') });
      client.on('error', () => undefined);
      try {
        await client.connect();
        await client.query('SELECT 1');
        return true;
      } catch {
        return undefined;
      } finally {
        await client.end().catch(() => undefined);
      }
    });
  }

  /** Fast shutdown (every session ended), as a service restart does. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    execFileSync(
      'runuser',
      ['-u', 'postgres', '--', `${BIN}/pg_ctl`, 'stop', '-D', this.dataDir, '-m', 'fast'],
      {
        stdio: 'ignore',
      },
    );
    await gone;
    this.child = null;
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

function postgresIds(): [number, number] {
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return [uid, gid];
}
