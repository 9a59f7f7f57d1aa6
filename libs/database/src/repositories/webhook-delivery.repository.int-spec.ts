import { randomUUID } from 'node:crypto';
import {
  createJob,
  createOrganization,
  createTestContext,
  type TestContext,
  type TestOrganization,
} from '@bulkops/testing';
import { WebhookDeliveryRepository } from './webhook-delivery.repository';
import { WebhookRepository } from './webhook.repository';

/** The webhook outbox: the trigger of migration CreateWebhookTables, claims and the delivery log. */
describe('WebhookDeliveryRepository and the job_finished_webhooks trigger', () => {
  let context: TestContext;
  let deliveries: WebhookDeliveryRepository;
  let webhooks: WebhookRepository;

  beforeAll(async () => {
    context = await createTestContext();
    deliveries = new WebhookDeliveryRepository(context.dataSource);
    webhooks = new WebhookRepository(context.dataSource);
  });

  afterAll(() => context?.dispose());

  async function subscribe(org: TestOrganization): Promise<string> {
    const [{ id: administratorId }] = await context.dataSource.query<{ id: string }[]>(
      `SELECT id FROM administrator WHERE organization_id = $1 LIMIT 1`,
      [org.orgId],
    );
    const webhook = await webhooks.insert(org.orgId, {
      id: randomUUID(),
      administratorId,
      url: 'https://hooks.example.com/',
      events: ['job.finished'],
      secret: 'whsec_test',
    });
    return webhook.id;
  }

  async function setStatus(jobId: string, status: string): Promise<void> {
    await context.dataSource.query(`UPDATE job SET status = $2 WHERE id = $1`, [jobId, status]);
  }

  async function logOf(orgId: string, webhookId: string) {
    return webhooks.deliveries(orgId, webhookId, { limit: 100 });
  }

  it('owes each subscribed webhook one delivery when a job first reaches a final status', async () => {
    const org = await createOrganization(context.dataSource);
    const other = await createOrganization(context.dataSource);
    const [first, second] = [await subscribe(org), await subscribe(org)];
    const otherHook = await subscribe(other);
    const job = await createJob(context.dataSource, org.orgId);

    await setStatus(job.id, 'IN_PROGRESS');
    expect(await logOf(org.orgId, first)).toEqual([]);
    await setStatus(job.id, 'COMPLETED');
    // A later write of a final status is no second event.
    await setStatus(job.id, 'COMPLETED');

    for (const webhookId of [first, second]) {
      expect(
        (await logOf(org.orgId, webhookId)).map((d) => [d.jobId, d.event, d.status, d.attempts]),
      ).toEqual([[job.id, 'job.finished', 'pending', 0]]);
    }
    expect(await logOf(other.orgId, otherHook)).toEqual([]);
    // Tenancy is in the signature: another organization reads no log of this webhook.
    expect(await logOf(other.orgId, first)).toEqual([]);
  });

  it('hands each due delivery to one of two concurrent claimers, and records attempts against the claim', async () => {
    const org = await createOrganization(context.dataSource);
    const webhookId = await subscribe(org);
    for (let i = 0; i < 6; i += 1) {
      const job = await createJob(context.dataSource, org.orgId);
      await setStatus(job.id, 'FAILED');
    }
    const [a, b] = await Promise.all([
      deliveries.claimDue(4, 60_000),
      deliveries.claimDue(4, 60_000),
    ]);
    const claimed = [...a, ...b];
    const ownIds = (await logOf(org.orgId, webhookId)).map((d) => d.id).sort();
    const mine = claimed.filter((d) => d.orgId === org.orgId);
    expect(mine.map((d) => d.id).sort()).toEqual(ownIds);
    expect(new Set(claimed.map((d) => d.id)).size).toBe(claimed.length);
    // Leased: nothing is due again until the lease ends.
    expect(await deliveries.claimDue(10, 60_000)).toEqual([]);

    const [one] = mine;
    expect(one).toMatchObject({ attempt: 1, body: null, secret: 'whsec_test' });
    expect(await deliveries.fixBody(one.id, '{"first":true}')).toBe('{"first":true}');
    expect(await deliveries.fixBody(one.id, '{"second":true}')).toBe('{"first":true}');
    await deliveries.record(one, {
      delivered: false,
      statusCode: 500,
      error: 'the receiver answered 500',
      retryAt: new Date(Date.now() - 1000),
    });
    const [again] = await deliveries.claimDue(10, 60_000);
    expect(again).toMatchObject({ id: one.id, attempt: 2, body: '{"first":true}' });
    // The first claim's late result changes nothing: attempt 2 speaks for the delivery now.
    await deliveries.record(one, { delivered: true, statusCode: 200 });
    await deliveries.record(again, { delivered: true, statusCode: 204 });
    const logged = (await logOf(org.orgId, webhookId)).find((d) => d.id === one.id);
    expect(logged).toMatchObject({
      status: 'delivered',
      attempts: 2,
      lastStatusCode: 204,
      lastError: null,
    });
  });
});
