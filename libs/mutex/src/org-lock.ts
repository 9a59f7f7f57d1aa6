import { Injectable } from '@nestjs/common';
import { LockEnv, QueueEnv } from '@bulkops/config';
import { Metrics } from '@bulkops/observability';
import { RedisClient } from '@bulkops/queue';
import type { Histogram } from 'prom-client';

// Compare-and-delete / compare-and-extend: only the holder may release or renew (STYLE §6).
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const RENEW = `
local holder = redis.call('get', KEYS[1])
if holder == ARGV[1] then redis.call('pexpire', KEYS[1], ARGV[2]) return 1 end
if not holder then redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 2 end
return 0`;

/** The outcome of trying to take an organization's lock. */
export type Acquired =
  { acquired: true; release: () => Promise<boolean> } | { acquired: false; holder: string | null };

/** What renewing found. `retaken`: the key was gone (Redis restarted) and is ours again. */
export type Renewal = 'renewed' | 'retaken' | 'held-by-other';

/**
 * The per-organization job lock: one key per organization under QUEUE_PREFIX whose value is the
 * active job's id. Taken with SET NX PX by the gateway, renewed while the job progresses and
 * released by status. Nobody else builds the key.
 */
@Injectable()
export class OrgLock {
  private readonly acquiring: Histogram;

  constructor(
    private readonly redisClient: RedisClient,
    private readonly queueEnv: QueueEnv,
    private readonly lockEnv: LockEnv,
    metrics: Metrics,
  ) {
    this.acquiring = metrics.histogram(
      'bulkops_lock_acquire_seconds',
      "Time to take an organization's lock, by outcome (held: another job has it, the submission is refused)",
      ['outcome'],
      [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1],
    );
  }

  private key(orgId: string): string {
    return `${this.queueEnv.queuePrefix}:lock:org:${orgId}`;
  }

  /** Takes the lock for `ttlMs` (JOB_LOCK_TTL_MS unless the caller holds it shorter and renews). */
  async acquire(
    orgId: string,
    jobId: string,
    ttlMs: number = this.lockEnv.jobLockTtlMs,
  ): Promise<Acquired> {
    const redis = this.redisClient.redis;
    const timer = this.acquiring.startTimer();
    const set = await redis.set(this.key(orgId), jobId, 'PX', ttlMs, 'NX');
    if (set === 'OK') {
      timer({ outcome: 'acquired' });
      return { acquired: true, release: () => this.release(orgId, jobId) };
    }
    const holder = await redis.get(this.key(orgId));
    timer({ outcome: 'held' });
    return { acquired: false, holder };
  }

  /** Releases the lock if `jobId` holds it; a stale holder cannot release someone else's lock. */
  async release(orgId: string, jobId: string): Promise<boolean> {
    const deleted = (await this.redisClient.redis.eval(
      RELEASE,
      1,
      this.key(orgId),
      jobId,
    )) as number;
    return deleted === 1;
  }

  /** Extends the lock of a job that is still making progress; takes it again if it vanished. */
  async renew(
    orgId: string,
    jobId: string,
    ttlMs: number = this.lockEnv.jobLockTtlMs,
  ): Promise<Renewal> {
    const result = (await this.redisClient.redis.eval(
      RENEW,
      1,
      this.key(orgId),
      jobId,
      String(ttlMs),
    )) as number;
    return result === 1 ? 'renewed' : result === 2 ? 'retaken' : 'held-by-other';
  }

  async holder(orgId: string): Promise<string | null> {
    return this.redisClient.redis.get(this.key(orgId));
  }
}
