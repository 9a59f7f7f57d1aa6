import { randomUUID } from 'node:crypto';
import { LockEnv, QueueEnv, RedisEnv, loadEnv } from '@bulkops/config';
import { Metrics } from '@bulkops/observability';
import { RedisClient } from '@bulkops/queue';
import { createTestContext, type TestContext } from '@bulkops/testing';
import { OrgLock } from './org-lock';

describe('OrgLock', () => {
  let context: TestContext;
  let client: RedisClient;
  const lockFor = (ttlMs: number) => {
    const env = loadEnv([RedisEnv, QueueEnv, LockEnv], {
      ...context.env,
      JOB_LOCK_TTL_MS: String(ttlMs),
    });
    return new OrgLock(client, env.get(QueueEnv), env.get(LockEnv), new Metrics());
  };

  beforeAll(async () => {
    context = await createTestContext();
    client = new RedisClient(loadEnv([RedisEnv], context.env).get(RedisEnv));
  });

  afterAll(async () => {
    await client?.onApplicationShutdown();
    await context?.dispose();
  });

  it('lets exactly one of 20 concurrent takers win, and tells the others who holds it', async () => {
    const lock = lockFor(60_000);
    const orgId = randomUUID();
    const jobIds = Array.from({ length: 20 }, () => randomUUID());
    const outcomes = await Promise.all(jobIds.map((jobId) => lock.acquire(orgId, jobId)));
    const winners = jobIds.filter((_, i) => outcomes[i].acquired);
    expect(winners).toHaveLength(1);
    for (const outcome of outcomes.filter((o) => !o.acquired))
      expect(outcome).toEqual({ acquired: false, holder: winners[0] });
    expect(await lock.holder(orgId)).toBe(winners[0]);
  });

  it('never blocks another organization', async () => {
    const lock = lockFor(60_000);
    const [a, b] = [randomUUID(), randomUUID()];
    expect((await lock.acquire(a, randomUUID())).acquired).toBe(true);
    expect((await lock.acquire(b, randomUUID())).acquired).toBe(true);
  });

  it('does not let a stale holder release the lock of the job that took it over', async () => {
    const lock = lockFor(1000);
    const orgId = randomUUID();
    const [stale, current] = [randomUUID(), randomUUID()];
    expect((await lock.acquire(orgId, stale)).acquired).toBe(true);
    await client.redis.del(`${context.queuePrefix}:lock:org:${orgId}`); // the stale holder's TTL ran out
    expect((await lock.acquire(orgId, current)).acquired).toBe(true);
    expect(await lock.release(orgId, stale)).toBe(false);
    expect(await lock.holder(orgId)).toBe(current);
    expect(await lock.release(orgId, current)).toBe(true);
    expect(await lock.holder(orgId)).toBeNull();
  });

  it("renews its own lock, takes it again after Redis lost it, and never renews another job's", async () => {
    const lock = lockFor(5000);
    const orgId = randomUUID();
    const key = `${context.queuePrefix}:lock:org:${orgId}`;
    const jobId = randomUUID();
    await lock.acquire(orgId, jobId);
    await client.redis.pexpire(key, 100);
    expect(await lock.renew(orgId, jobId)).toBe('renewed');
    expect(await client.redis.pttl(key)).toBeGreaterThan(1000);
    await client.redis.del(key);
    expect(await lock.renew(orgId, jobId)).toBe('retaken');
    expect(await lock.holder(orgId)).toBe(jobId);
    expect(await lock.renew(orgId, randomUUID())).toBe('held-by-other');
  });
});
