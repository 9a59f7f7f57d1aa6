import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pinoHttp } from 'pino-http';
import { httpLogOptions } from './http-logging';
import { addLogContext } from './log-context';

/** A server whose handler names the organization, as authentication does, then answers `status`. */
async function serve(lines: string[]): Promise<Server> {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  const log = pinoHttp(httpLogOptions('gateway', 'info'), sink);
  const server = createServer((req, res) => {
    log(req, res);
    if (!req.url?.startsWith('/health')) addLogContext(req, { orgId: 'org-1' });
    res.statusCode = Number(new URL(req.url!, 'http://x').searchParams.get('status') ?? 200);
    res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

describe('httpLogOptions', () => {
  const lines: string[] = [];
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = await serve(lines);
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  beforeEach(() => (lines.length = 0));

  /** Waits for the line of the request that just completed (pino writes it on `finish`). */
  async function lineOf(path: string, headers: Record<string, string> = {}) {
    await (await fetch(`${base}${path}`, { headers })).text();
    for (let i = 0; i < 50 && lines.length === 0; i += 1)
      await new Promise((r) => setTimeout(r, 10));
    return lines.map((line) => JSON.parse(line) as Record<string, any>);
  }

  it('writes one line per completed request with the service, the organization authentication named and no credential', async () => {
    const [line, ...more] = await lineOf('/v1/jobs?token=bko_secret', {
      authorization: 'Bearer bko_secret',
    });
    expect(more).toEqual([]);
    expect(line).toMatchObject({
      level: 30,
      service: 'gateway',
      orgId: 'org-1',
      req: { method: 'GET', url: '/v1/jobs', queryParams: ['token'] },
      res: { statusCode: 200 },
      msg: 'request completed',
    });
    expect(line.req.headers.authorization).toBe('[Redacted]');
    expect(JSON.stringify(line)).not.toContain('bko_secret');
  });

  it('names the organization on the line of a failed request too', async () => {
    const [line] = await lineOf('/v1/jobs?status=500');
    expect(line).toMatchObject({ msg: 'request errored', service: 'gateway', orgId: 'org-1' });
    expect(line.res.statusCode).toBe(500);
  });

  it('leaves health and metrics probes out', async () => {
    await (await fetch(`${base}/health/ready`)).text();
    await (await fetch(`${base}/metrics`)).text();
    // A request that is logged, after them: by its line, the probes' would have been written too.
    const logged = await lineOf('/v1/jobs');
    expect(logged.map((line) => line.req.url)).toEqual(['/v1/jobs']);
  });
});
