import { readdir, readlink } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import IORedis from 'ioredis';
import {
  type ApiDriver,
  createOrganization,
  type Stack,
  type TestContext,
  type TestOrganization,
  startServices,
  stopServices,
  waitFor,
} from '@bulkops/testing';

const HEADER = 'Name,Multimedia Profile';
const SITES = { name: 'sites.csv', content: `${HEADER}\nAustin,MMP\n` };
const SECRET = 'bko_do-not-log-me';

/** Every file under a directory, recursively. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/** The open file descriptors of a process, by what they point at. */
async function descriptors(pid: number): Promise<string[]> {
  const fds = await readdir(`/proc/${pid}/fd`);
  const targets = await Promise.all(
    fds.map((fd) => readlink(`/proc/${pid}/fd/${fd}`).catch(() => 'gone')),
  );
  return targets.filter((t) => t !== 'gone');
}

/**
 * Starts a multipart upload of a 50 MB CSV by hand, sends a few hundred kilobytes of it, and closes
 * the socket: what a client that crashes or loses its network does.
 */
function abortedUpload(
  gatewayUrl: string,
  token: string,
  fileFirst: boolean,
  sentBytes = 300_000,
): Promise<void> {
  const { hostname, port } = new URL(gatewayUrl);
  const boundary = 'bulkops-hostile';
  const field = `--${boundary}\r\nContent-Disposition: form-data; name="object"\r\n\r\nsite\r\n`;
  const file = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\n${HEADER}\r\n`;
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(
        `POST /v1/jobs HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${token}\r\n` +
          `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: 50000000\r\n\r\n` +
          (fileFirst ? file : field + file),
      );
      socket.write('Abc,MMP\r\n'.repeat(Math.ceil(sentBytes / 9)), () => {
        socket.destroy();
        resolve();
      });
    });
    socket.on('error', () => resolve());
  });
}

/** A multipart body with the given parts, for requests fetch's FormData cannot make. */
function multipart(parts: { name: string; fileName?: string; content: string }[]): {
  body: Buffer;
  contentType: string;
} {
  const boundary = 'bulkops-parts';
  const body = parts
    .map(
      (p) =>
        `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"${
          p.fileName === undefined ? '' : `; filename="${p.fileName}"`
        }\r\n\r\n${p.content}\r\n`,
    )
    .join('');
  return {
    body: Buffer.from(`${body}--${boundary}--\r\n`),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

/**
 * Requests an attacker or a careless client sends (issue 13): aborted uploads, two file parts,
 * retries with one Idempotency-Key, crafted cursors, oversized JSON bodies, credentials in query
 * strings. Every one is answered in the contract's terms and leaves nothing behind.
 */
describe('hostile requests', () => {
  let context: TestContext;
  let stack: Stack;
  let api: ApiDriver;
  let redis: IORedis;

  beforeAll(async () => {
    // Request logs on, to prove no credential reaches them.
    ({ context, stack, api } = await startServices({ env: { LOG_LEVEL: 'info' } }));
    redis = new IORedis(context.env['REDIS_URL']);
  });

  afterAll(async () => {
    redis?.disconnect();
    await stopServices({ context, stack });
  });

  const lockHolder = (orgId: string) => redis.get(`${context.queuePrefix}:lock:org:${orgId}`);

  it('leaves no file, descriptor or lock behind when 30 clients close the socket mid-upload', async () => {
    const orgs: TestOrganization[] = [];
    for (let i = 0; i < 15; i += 1) orgs.push(await createOrganization(context.dataSource));
    const pid = stack.pid('gateway')!;
    // Fill the gateway's connection pools first, so the baseline is the steady state.
    await Promise.all(Array.from({ length: 40 }, () => api.get('/v1/jobs', orgs[0].adminToken)));
    const baseline = (await descriptors(pid)).length;
    // Half send the file before the fields (stored while nothing is locked), half after (stored
    // under the organization's lock): 30 uploads streaming to storage at once, then gone.
    await Promise.all([
      ...orgs.map((org) => abortedUpload(stack.gatewayUrl, org.adminToken, false)),
      ...orgs.map((org) => abortedUpload(stack.gatewayUrl, org.adminToken, true)),
    ]);
    await waitFor('the gateway to drop every aborted upload', async () => {
      const open = (await descriptors(pid)).filter((t) => t.startsWith(context.storageDir));
      const stored = await filesUnder(context.storageDir);
      return open.length === 0 && stored.length === 0 ? true : { open, stored };
    });
    await waitFor('the descriptors to return to the baseline', async () => {
      const now = (await descriptors(pid)).length;
      return now <= baseline || undefined;
    });
    for (const org of orgs) expect(await lockHolder(org.orgId)).toBeNull();
    const next = await api.submit(orgs[0].adminToken, 'site', SITES);
    expect(next.status).toBe(202);
    await api.finished(orgs[0].adminToken, next.body.id);
  });

  it('refuses two file parts with 400 and releases the lock at once', async () => {
    const org = await createOrganization(context.dataSource);
    const { body, contentType } = multipart([
      { name: 'object', content: 'site' },
      { name: 'file', fileName: 'a.csv', content: `${HEADER}\nA,MMP` },
      { name: 'file', fileName: 'b.csv', content: `${HEADER}\nB,MMP` },
    ]);
    const answer = await fetch(`${stack.gatewayUrl}/v1/jobs`, {
      method: 'POST',
      body,
      headers: { authorization: `Bearer ${org.adminToken}`, 'content-type': contentType },
    });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({
      statusCode: 400,
      code: 'INVALID_REQUEST',
      message: expect.stringContaining('send exactly one file'),
    });
    expect(await lockHolder(org.orgId)).toBeNull();
    const next = await api.submit(org.adminToken, 'site', SITES);
    expect(next.status).toBe(202);
    await api.finished(org.adminToken, next.body.id);
    expect(await filesUnder(join(context.storageDir, 'incoming'))).toEqual([]);
  });

  it('answers 50 concurrent POSTs with one Idempotency-Key with one job: one 202 and 49 × 200', async () => {
    const org = await createOrganization(context.dataSource);
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        api.submit(org.adminToken, 'site', SITES, { idempotencyKey: 'nightly-42' }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([...Array<number>(49).fill(200), 202]);
    const ids = new Set(answers.map((a) => a.body.id));
    expect(ids.size).toBe(1);
    const [jobId] = ids;
    expect(
      await context.dataSource.query(`SELECT id FROM job WHERE organization_id = $1`, [org.orgId]),
    ).toEqual([{ id: jobId }]);
    await api.finished(org.adminToken, jobId);
    expect(await filesUnder(join(context.storageDir, 'incoming'))).toEqual([]);
  });

  it.each([
    ['another file', 'site', { name: 'sites.csv', content: `${HEADER}\nBoston,MMP\n` }, 'apply'],
    ['another file name', 'site', { ...SITES, name: 'other.csv' }, 'apply'],
    ['another object', 'work-type', SITES, 'apply'],
    ['another mode', 'site', SITES, 'validate'],
  ])(
    'answers 422 IDEMPOTENCY_KEY_REUSED for a used key with %s',
    async (_what, object, file, mode) => {
      const org = await createOrganization(context.dataSource);
      const first = await api.submit(org.adminToken, 'site', SITES, { idempotencyKey: 'k-1' });
      expect(first.status).toBe(202);
      const reused = await api.submit(org.adminToken, object, file, {
        idempotencyKey: 'k-1',
        mode,
      });
      expect(reused.status).toBe(422);
      expect(reused.body).toMatchObject({
        statusCode: 422,
        error: 'Unprocessable Entity',
        code: 'IDEMPOTENCY_KEY_REUSED',
        jobId: first.body.id,
        message: expect.stringMatching(/^The Idempotency-Key 'k-1' was used for another request/),
      });
      await api.finished(org.adminToken, first.body.id);
      expect((await api.get('/v1/jobs/active', org.adminToken)).status).toBe(204);
    },
  );

  it('keeps a UTF-8 file name as it was sent', async () => {
    const org = await createOrganization(context.dataSource);
    const job = await api.run(org.adminToken, 'site', { ...SITES, name: '日本語 Zürich.csv' });
    expect(job).toMatchObject({
      fileName: '日本語 Zürich.csv',
      files: [{ name: '日本語 Zürich.csv', rows: 1 }],
    });
    const report = await api.get(`/v1/jobs/${job.id}/errors`, org.adminToken);
    expect(report.status).toBe(200);
    expect(report.headers.get('content-disposition')).toBe(
      `attachment; filename="___ Z_rich-errors.csv"; filename*=UTF-8''${encodeURIComponent('日本語 Zürich-errors.csv')}`,
    );
  });

  describe('crafted cursors and queries', () => {
    let org: TestOrganization;

    beforeAll(async () => {
      org = await createOrganization(context.dataSource);
    });

    const encoded = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

    it.each([
      [
        'a job cursor of dashes',
        '/v1/jobs?cursor=',
        encoded(['2099-01-01T00:00:00Z', '-'.repeat(36)]),
      ],
      [
        'a job cursor of dashes, exact time',
        '/v1/jobs?cursor=',
        encoded(['2099-01-01T00:00:00.000Z', '-'.repeat(36)]),
      ],
      [
        'a job cursor out of range',
        '/v1/jobs?cursor=',
        encoded(['+275760-09-13T00:00:00.000Z', crypto.randomUUID()]),
      ],
      ['a job cursor of NULs', '/v1/jobs?cursor=', encoded(['\u0000', '\u0000'])],
      ['base64url garbage', '/v1/jobs?cursor=', '_-_-_-_-'],
      ['an object filter with a NUL', '/v1/jobs?object=', encodeURIComponent('site\u0000')],
      ['a records cursor of a NUL', '/v1/objects/site/records?cursor=', encoded(['\u0000'])],
      [
        'a records cursor of half a surrogate',
        '/v1/objects/site/records?cursor=',
        encoded(['a\ud800']),
      ],
      [
        'a records cursor of another shape',
        '/v1/objects/site/records?cursor=',
        encoded([['nested']]),
      ],
      [
        'a records cursor too long for a key',
        '/v1/objects/site/records?cursor=',
        encoded(['x'.repeat(2000)]),
      ],
    ])('answers %s with 400 INVALID_REQUEST', async (_what, path, value) => {
      const answer = await api.get(`${path}${value}`, org.viewerToken);
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        code: 'INVALID_REQUEST',
        message: expect.any(String),
      });
    });
  });

  describe('request bodies', () => {
    const big = JSON.stringify({ x: 'a'.repeat(200_000) });

    it.each(['/v1/jobs', '/v1/jobs/active', '/v1/objects', '/v1/nothing', '/health/ready'])(
      'answers a JSON body over 100 KB to %s with 413 in the contract body, token or not',
      async (path) => {
        for (const token of [null, 'bko_unknown']) {
          const answer = await fetch(`${stack.gatewayUrl}${path}`, {
            method: 'POST',
            body: big,
            headers: {
              'content-type': 'application/json',
              ...(token ? { authorization: `Bearer ${token}` } : {}),
            },
          });
          expect(answer.status).toBe(413);
          expect(await answer.json()).toEqual({
            statusCode: 413,
            error: 'Payload Too Large',
            code: 'FILE_TOO_LARGE',
            message:
              'The request body is larger than 100 KB, the most a JSON request may send; files go to POST /v1/jobs as multipart/form-data.',
          });
          expect(answer.headers.get('x-powered-by')).toBeNull();
        }
      },
    );

    it('answers a small JSON body without a token with 401, and malformed JSON with 400', async () => {
      const small = await fetch(`${stack.gatewayUrl}/v1/jobs`, {
        method: 'POST',
        body: '{"object":"site"}',
        headers: { 'content-type': 'application/json' },
      });
      expect(small.status).toBe(401);
      expect(small.headers.get('x-powered-by')).toBeNull();
      const malformed = await fetch(`${stack.gatewayUrl}/v1/jobs`, {
        method: 'POST',
        body: '{"object":',
        headers: { 'content-type': 'application/json' },
      });
      expect(malformed.status).toBe(400);
      expect(await malformed.json()).toMatchObject({ code: 'INVALID_REQUEST' });
    });
  });

  it('never writes a token sent in a query string or an unusual header to the logs', async () => {
    const org = await createOrganization(context.dataSource);
    const marker = `/v1/jobs/active`;
    await api.request('GET', `${marker}?token=${SECRET}&access_token=${SECRET}`, org.viewerToken);
    await api.request('GET', marker, null, undefined, {
      'x-api-key': SECRET,
      'proxy-authorization': `Bearer ${SECRET}`,
      authorization: `Bearer ${SECRET}`,
      cookie: `session=${SECRET}`,
    });
    const logs = await waitFor('the gateway to log both requests', () => {
      const lines = stack.logs('gateway').filter((l) => l.includes(marker));
      return lines.length >= 2 ? stack.logs('gateway') : undefined;
    });
    expect(logs.join('\n')).not.toContain(SECRET);
    expect(logs.join('\n')).not.toContain(org.viewerToken);
  });
});
