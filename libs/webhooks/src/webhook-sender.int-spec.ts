import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadEnv, WebhookEnv } from '@bulkops/config';
import { ErrorCode } from '@bulkops/contracts';
import { WebhookSender } from './webhook-sender';
import { WebhookTargetPolicy } from './webhook-target-policy';

function policy(allowPrivate: boolean): WebhookTargetPolicy {
  const env = loadEnv([WebhookEnv], { WEBHOOK_ALLOW_PRIVATE: String(allowPrivate) });
  return new WebhookTargetPolicy(env.get(WebhookEnv));
}

describe('WebhookSender', () => {
  let server: Server;
  let port: number;
  const received: { headers: Record<string, unknown>; body: string }[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (part: string) => (body += part));
      request.on('end', () => {
        received.push({ headers: request.headers, body });
        response.writeHead(request.url === '/gone' ? 410 : 204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => received.splice(0));

  const post = (sender: WebhookSender, url: string) =>
    sender.post({ url, body: '{"a":1}', headers: { 'x-test': 'yes' }, timeoutMs: 5000 });

  it('posts the body and headers and answers the receiver status when private targets are allowed', async () => {
    const sender = new WebhookSender(policy(true));
    expect(await post(sender, `http://127.0.0.1:${port}/hook`)).toBe(204);
    expect(await post(sender, `http://localhost:${port}/gone`)).toBe(410);
    expect(received).toHaveLength(2);
    expect(received[0].body).toBe('{"a":1}');
    expect(received[0].headers).toMatchObject({
      'content-type': 'application/json',
      'x-test': 'yes',
    });
  });

  it('refuses a loopback literal and a name resolving to loopback at send time, sending nothing', async () => {
    const sender = new WebhookSender(policy(false));
    for (const url of [
      `http://127.0.0.1:${port}/hook`,
      `http://localhost:${port}/hook`,
      `http://[::1]:${port}/hook`,
    ]) {
      await expect(post(sender, url)).rejects.toMatchObject({
        code: ErrorCode.WebhookTargetNotAllowed,
      });
    }
    expect(received).toHaveLength(0);
  });

  it('refuses to register private targets and URLs that are not plain http(s)', async () => {
    const strict = policy(false);
    for (const url of [
      'http://10.0.0.7/hook',
      'http://169.254.169.254/latest/meta-data',
      'https://192.168.1.10/',
      'http://localhost/hook',
      'http://[fe80::1]/',
    ]) {
      await expect(strict.check(strict.parse(url))).rejects.toMatchObject({
        code: ErrorCode.WebhookTargetNotAllowed,
      });
    }
    for (const url of ['ftp://example.com/', 'not a url', 'https://user:pw@example.com/']) {
      expect(() => strict.parse(url)).toThrow(expect.objectContaining({ code: 'INVALID_REQUEST' }));
    }
    await expect(strict.check(strict.parse('https://93.184.215.14/hook'))).resolves.toBeUndefined();
    const relaxed = policy(true);
    await expect(relaxed.check(relaxed.parse('http://127.0.0.1/hook'))).resolves.toBeUndefined();
  });
});
