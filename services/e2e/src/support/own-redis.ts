import { spawn, type ChildProcess } from 'node:child_process';
import IORedis from 'ioredis';
import { freePort, waitFor } from '@bulkops/testing';

/**
 * A redis-server of the test's own, on a free port, without persistence: the chaos tier restarts
 * and flushes it. The shared Redis of the machine is never touched.
 */
export class OwnRedis {
  private child: ChildProcess | null = null;

  private constructor(readonly port: number) {}

  static async start(): Promise<OwnRedis> {
    const redis = new OwnRedis(await freePort());
    await redis.restart();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts the server (again) on its port and waits until it answers. */
  async restart(): Promise<void> {
    this.child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    await waitFor('the own redis-server to answer', async () => {
      const client = new IORedis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0 });
      client.on('error', () => undefined);
      try {
        await client.connect();
        return (await client.ping()) === 'PONG' || undefined;
      } catch {
        return undefined;
      } finally {
        client.disconnect();
      }
    });
  }

  /** SIGKILL: everything in it is gone, as after a crash without persistence. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await gone;
    this.child = null;
  }

  async command(...args: [string, ...string[]]): Promise<unknown> {
    const client = new IORedis(this.url);
    try {
      return await client.call(...args);
    } finally {
      client.disconnect();
    }
  }
}
