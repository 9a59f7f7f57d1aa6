import { createHmac } from 'node:crypto';
import {
  createOrganization,
  fixturesOf,
  waitFor,
  type ApiDriver,
  type Stack,
  type TestContext,
  type TestOrganization,
  startServices,
  stopServices,
} from '@bulkops/testing';
import { WebhookReceiver } from './support/webhook-receiver';

const SITES = fixturesOf('site')!;

/** What a receiver computes to check a delivery: HMAC-SHA256 of the raw body under the secret. */
function expectedSignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * Webhooks (spec/api.md "Webhooks") against the built services and a local receiver: the routes,
 * one signed delivery per finished job sent by the status service from Postgres' outbox, retries
 * with backoff, and private targets refused unless the operator allows them.
 */
describe('webhooks', () => {
  let context: TestContext;
  let stack: Stack;
  let api: ApiDriver;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    ({ context, stack, api } = await startServices({
      env: {
        WEBHOOK_ALLOW_PRIVATE: 'true',
        STATUS_WEBHOOK_POLL_MS: '100',
        STATUS_WEBHOOK_BACKOFF_BASE_MS: '200',
      },
    }));
  });

  afterAll(async () => {
    await stopServices({ context, stack });
    await receiver?.stop();
  });

  async function register(org: TestOrganization, path: string) {
    const created = await api.send('POST', '/v1/webhooks', org.adminToken, {
      url: receiver.url(path),
      events: ['job.finished'],
    });
    expect(created.status).toBe(201);
    return created.body as { id: string; secret: string };
  }

  async function deliveriesOf(org: TestOrganization, webhookId: string) {
    const answer = await api.get(`/v1/webhooks/${webhookId}/deliveries`, org.adminToken);
    expect(answer.status).toBe(200);
    return answer.body.items as { id: string; jobId: string; status: string; attempts: number }[];
  }

  async function settled(org: TestOrganization, webhookId: string, count: number) {
    let last: unknown = [];
    return waitFor(
      `${count} settled deliveries of webhook ${webhookId}`,
      async () => {
        const items = await deliveriesOf(org, webhookId);
        last = items;
        return items.length === count && items.every((d) => d.status !== 'pending')
          ? items
          : undefined;
      },
      60_000,
      100,
    ).catch((error: Error) => {
      throw new Error(
        `${error.message}\nlast seen: ${JSON.stringify(last)}\nstatus printed:\n${stack.logs('status').join('\n')}`,
      );
    });
  }

  it('registers, lists and deletes webhooks for admins of the organization only', async () => {
    const org = await createOrganization(context.dataSource);
    const other = await createOrganization(context.dataSource);
    const url = receiver.url('/routes');

    const byViewer = await api.send('POST', '/v1/webhooks', org.viewerToken, { url });
    expect(byViewer.status).toBe(403);
    expect((await api.send('POST', '/v1/webhooks', null, { url })).status).toBe(401);
    for (const body of [{}, { url: 'ftp://example.com/' }, { url, events: ['job.started'] }]) {
      const refused = await api.send('POST', '/v1/webhooks', org.adminToken, body);
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ code: 'INVALID_REQUEST' });
    }

    const created = await api.send('POST', '/v1/webhooks', org.adminToken, { url });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      url,
      events: ['job.finished'],
      createdAt: expect.any(String),
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9_-]{43}$/),
    });
    const { id } = created.body as { id: string };

    // The secret is shown once: lists never carry it.
    const listed = await api.get('/v1/webhooks', org.viewerToken);
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual([
      { id, url, events: ['job.finished'], createdAt: created.body.createdAt },
    ]);
    expect((await api.get(`/v1/webhooks/${id}/deliveries`, org.viewerToken)).body).toEqual({
      items: [],
      nextCursor: null,
    });

    // Another organization sees nothing and can touch nothing: 404 as for an unknown id.
    expect((await api.get('/v1/webhooks', other.adminToken)).body).toEqual([]);
    expect((await api.get(`/v1/webhooks/${id}/deliveries`, other.adminToken)).status).toBe(404);
    expect((await api.request('DELETE', `/v1/webhooks/${id}`, other.adminToken)).status).toBe(404);
    expect((await api.request('DELETE', `/v1/webhooks/${id}`, org.viewerToken)).status).toBe(403);
    expect((await api.get('/v1/webhooks/not-a-uuid/deliveries', org.adminToken)).status).toBe(404);
    const badCursor = await api.get(`/v1/webhooks/${id}/deliveries?cursor=nope`, org.adminToken);
    expect(badCursor.status).toBe(400);

    expect((await api.request('DELETE', `/v1/webhooks/${id}`, org.adminToken)).status).toBe(204);
    expect((await api.request('DELETE', `/v1/webhooks/${id}`, org.adminToken)).status).toBe(404);
    expect((await api.get('/v1/webhooks', org.adminToken)).body).toEqual([]);

    const docs = await api.get('/docs-json', null);
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining(['/v1/webhooks', '/v1/webhooks/{id}', '/v1/webhooks/{id}/deliveries']),
    );
  });

  it('sends exactly one signed job.finished delivery per finished job', async () => {
    const org = await createOrganization(context.dataSource);
    receiver.answer('/one', 204);
    const webhook = await register(org, '/one');
    const first = await api.run(org.adminToken, 'site', {
      name: 'sites.csv',
      content: SITES.valid,
    });
    const second = await api.run(org.adminToken, 'site', {
      name: 'sites.csv',
      content: SITES.valid,
    });

    const log = await settled(org, webhook.id, 2);
    expect(log.map((d) => [d.jobId, d.status, d.attempts])).toEqual([
      [second.id, 'delivered', 1],
      [first.id, 'delivered', 1],
    ]);
    // The log pages newest first.
    const firstPage = await api.get(
      `/v1/webhooks/${webhook.id}/deliveries?limit=1`,
      org.viewerToken,
    );
    expect(firstPage.body.items.map((d: { jobId: string }) => d.jobId)).toEqual([second.id]);
    const nextPage = await api.get(
      `/v1/webhooks/${webhook.id}/deliveries?limit=1&cursor=${firstPage.body.nextCursor as string}`,
      org.viewerToken,
    );
    expect(nextPage.body).toMatchObject({ items: [{ jobId: first.id }], nextCursor: null });
    const received = receiver.at('/one');
    expect(received).toHaveLength(2);
    for (const job of [first, second]) {
      const [delivery] = received.filter((r) => JSON.parse(r.body).job.id === job.id);
      expect(delivery.headers['x-bulkops-signature']).toBe(
        expectedSignature(webhook.secret, delivery.body),
      );
      expect(delivery.headers['x-bulkops-delivery']).toBe(log.find((d) => d.jobId === job.id)?.id);
      expect(delivery.headers['content-type']).toBe('application/json');
      // The job as the API shows it, final status and counts included.
      const shown = await api.get(`/v1/jobs/${job.id}`, org.adminToken);
      expect(JSON.parse(delivery.body)).toEqual({ event: 'job.finished', job: shown.body });
    }
  });

  it('retries a failing receiver with backoff until it answers 2xx, with the same delivery each time', async () => {
    const org = await createOrganization(context.dataSource);
    receiver.answer('/flaky', 500, 503, 200);
    const webhook = await register(org, '/flaky');
    const job = await api.run(org.adminToken, 'site', { name: 'sites.csv', content: SITES.valid });

    const [delivery] = await settled(org, webhook.id, 1);
    expect(delivery).toMatchObject({
      jobId: job.id,
      status: 'delivered',
      attempts: 3,
      lastStatusCode: 200,
      lastError: null,
      nextAttemptAt: null,
      deliveredAt: expect.any(String),
    });
    const attempts = receiver.at('/flaky');
    expect(attempts.map((a) => a.answered)).toEqual([500, 503, 200]);
    expect(new Set(attempts.map((a) => a.headers['x-bulkops-delivery']))).toEqual(
      new Set([delivery.id]),
    );
    expect(new Set(attempts.map((a) => a.body)).size).toBe(1);
    for (const attempt of attempts) {
      expect(attempt.headers['x-bulkops-signature']).toBe(
        expectedSignature(webhook.secret, attempt.body),
      );
    }
  });

  it('keeps a delivery owed by a finished job through a status crash, and sends it after the restart', async () => {
    // A status service whose sender, after its first look at start-up, sleeps for ten minutes.
    await stack.kill('status', 'SIGKILL');
    await stack.startService('status', { STATUS_WEBHOOK_POLL_MS: '600000' });
    const org = await createOrganization(context.dataSource);
    receiver.answer('/late', 204);
    const webhook = await register(org, '/late');
    const job = await api.run(org.adminToken, 'site', { name: 'sites.csv', content: SITES.valid });
    // Owed by the transaction that finished the job, not yet sent.
    expect(await deliveriesOf(org, webhook.id)).toMatchObject([
      { jobId: job.id, status: 'pending', attempts: 0 },
    ]);

    await stack.kill('status', 'SIGKILL');
    await stack.startService('status');
    const [delivery] = await settled(org, webhook.id, 1);
    expect(delivery).toMatchObject({ jobId: job.id, status: 'delivered', attempts: 1 });
    expect(receiver.at('/late')).toHaveLength(1);
    expect(JSON.parse(receiver.at('/late')[0].body)).toMatchObject({
      event: 'job.finished',
      job: { id: job.id, status: 'COMPLETED' },
    });
  });

  it('refuses private targets by default, at registration and again at send time', async () => {
    const org = await createOrganization(context.dataSource);
    receiver.answer('/private', 204);
    const webhook = await register(org, '/private');

    await stack.kill('gateway', 'SIGTERM');
    await stack.kill('status', 'SIGTERM');
    await stack.startService('gateway', { WEBHOOK_ALLOW_PRIVATE: 'false' });
    await stack.startService('status', { WEBHOOK_ALLOW_PRIVATE: 'false' });

    for (const url of [
      receiver.url('/private'),
      'http://localhost:8080/hook',
      'http://10.1.2.3/hook',
      'http://192.168.0.10/hook',
      'http://169.254.169.254/latest/meta-data/',
      'http://[::1]/hook',
    ]) {
      const refused = await api.send('POST', '/v1/webhooks', org.adminToken, { url });
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ code: 'WEBHOOK_TARGET_NOT_ALLOWED' });
    }

    // Registered while allowed; now the status service refuses to connect to it.
    const job = await api.run(org.adminToken, 'site', { name: 'sites.csv', content: SITES.valid });
    const refusedAttempt = await waitFor(
      `a refused attempt of the delivery of job ${job.id}`,
      async () => {
        const [delivery] = (await deliveriesOf(org, webhook.id)) as { lastError?: string }[];
        return delivery?.lastError ? delivery : undefined;
      },
      60_000,
      100,
    );
    expect(refusedAttempt).toMatchObject({
      jobId: job.id,
      status: 'pending',
      lastStatusCode: null,
      lastError: expect.stringContaining('WEBHOOK_ALLOW_PRIVATE'),
    });
    expect(receiver.at('/private')).toHaveLength(0);
  });
});
