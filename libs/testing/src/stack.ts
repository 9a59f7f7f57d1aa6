import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ApiDriver } from './api-driver';
import { createTestContext, type TestContext } from './test-context';
import { waitFor } from './wait-for';

/** The four long-running services. */
export type ServiceName = 'gateway' | 'ingest' | 'worker' | 'status';

const WORKSPACE = join(__dirname, '..', '..', '..');

/**
 * The V8 heap cap every launcher gives a service (tools/start.mjs); the test stack and the
 * benchmarks take it from here, and an env override wins.
 */
export const SERVICE_NODE_OPTIONS = '--max-old-space-size=192 --max-semi-space-size=16';

/** A free TCP port on loopback (bound then released). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** How a service process ended. */
export interface ServiceExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Milliseconds from the signal to the exit. */
  ms: number;
}

interface Running {
  port: number;
  child: ChildProcess;
  output: string[];
}

/**
 * The built services as child processes against one test context: what a user runs, started the way
 * `npm start` starts it. Services can be killed (any signal) and started again mid-test.
 */
export class Stack {
  private readonly running = new Map<ServiceName, Running>();
  private readonly ports = new Map<ServiceName, number>();

  constructor(
    private readonly context: TestContext,
    private readonly env: Readonly<Record<string, string>> = {},
  ) {}

  static async start(
    context: TestContext,
    env: Readonly<Record<string, string>> = {},
    services: readonly ServiceName[] = ['gateway', 'ingest', 'worker', 'status'],
  ): Promise<Stack> {
    const stack = new Stack(context, env);
    await Promise.all(services.map((name) => stack.startService(name)));
    return stack;
  }

  get gatewayUrl(): string {
    return `http://127.0.0.1:${this.ports.get('gateway')}`;
  }

  url(name: ServiceName): string {
    return `http://127.0.0.1:${this.ports.get(name)}`;
  }

  /** Starts (or restarts) a service and waits for its /health/ready. */
  async startService(
    name: ServiceName,
    extraEnv: Readonly<Record<string, string>> = {},
  ): Promise<void> {
    const port = this.ports.get(name) ?? (await freePort());
    this.ports.set(name, port);
    const output: string[] = [];
    const child = spawn(process.execPath, [join(WORKSPACE, 'services', name, 'dist', 'main.js')], {
      env: {
        PATH: process.env['PATH'] ?? '',
        NODE_OPTIONS: SERVICE_NODE_OPTIONS,
        ...this.context.env,
        ...this.env,
        ...extraEnv,
        PORT: String(port),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (data: Buffer) => {
      output.push(...data.toString('utf8').split('\n').filter(Boolean));
      if (output.length > 400) output.splice(0, output.length - 400);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    this.running.set(name, { port, child, output });
    try {
      await waitFor(
        `${name} to become ready on port ${port}`,
        async () => {
          if (child.exitCode !== null)
            throw new Error(
              `${name} exited with ${child.exitCode}:\n${output.slice(-20).join('\n')}`,
            );
          try {
            return (await fetch(`http://127.0.0.1:${port}/health/ready`)).ok || undefined;
          } catch {
            return undefined;
          }
        },
        // Generous: four services booting at once on a shared two-core machine can take half a minute.
        60_000,
        100,
      );
    } catch (error) {
      // A service that hangs in start-up says where in its own last lines.
      throw new Error(
        `${(error as Error).message}\n${name} printed:\n${output.slice(-20).join('\n')}`,
      );
    }
  }

  /** Starts a service unless it is already running. */
  async ensureService(name: ServiceName): Promise<void> {
    const running = this.running.get(name);
    if (!running || running.child.exitCode !== null || running.child.signalCode !== null)
      await this.startService(name);
  }

  /**
   * Sends a signal and waits for the process to be gone; answers how it ended (exit code, or the
   * signal that ended it) and how long it took after the signal.
   */
  async kill(name: ServiceName, signal: NodeJS.Signals = 'SIGKILL'): Promise<ServiceExit | null> {
    const running = this.running.get(name);
    if (!running || running.child.exitCode !== null || running.child.signalCode !== null)
      return null;
    const sentAt = Date.now();
    const gone = new Promise<ServiceExit>((resolve) =>
      running.child.once('exit', (code, endedBy) =>
        resolve({ code, signal: endedBy, ms: Date.now() - sentAt }),
      ),
    );
    running.child.kill(signal);
    const exit = await gone;
    this.running.delete(name);
    return exit;
  }

  /** The process id of a running service (for memory and CPU readings). */
  pid(name: ServiceName): number | undefined {
    return this.running.get(name)?.child.pid;
  }

  /** The last lines a service printed (for failure messages). */
  logs(name: ServiceName): string[] {
    return [...(this.running.get(name)?.output ?? [])];
  }

  async stop(): Promise<void> {
    await Promise.all([...this.running.keys()].map((name) => this.kill(name, 'SIGTERM')));
  }
}

/** What an end-to-end spec file runs against: its own context, the built services, a client. */
export interface RunningServices {
  context: TestContext;
  stack: Stack;
  api: ApiDriver;
}

/**
 * Starts the built services for one spec file on its own database, queue prefix and storage:
 * `beforeAll(async () => ({ context, stack, api } = await startServices()))`.
 */
export async function startServices(
  options: { env?: Readonly<Record<string, string>>; services?: readonly ServiceName[] } = {},
): Promise<RunningServices> {
  const context = await createTestContext();
  const stack = await Stack.start(context, options.env ?? {}, options.services);
  return { context, stack, api: new ApiDriver(stack.gatewayUrl) };
}

/** Stops what `startServices` started and removes its data; safe after a failed start. */
export async function stopServices(running: Partial<RunningServices>): Promise<void> {
  await running.stack?.stop();
  await running.context?.dispose();
}
