import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { QueueEnv } from '@bulkops/config';
import { bullJobId, queueFor, type JobName, type PayloadOf } from '@bulkops/contracts';
import { DEFAULT_JOB_OPTIONS } from './default-job-options';
import { RedisClient } from './redis-client';

/**
 * States of a queue job that will still run. Not `active`: the caller asks about a delivery that
 * showed no sign of life for a while, and an active job whose worker died stays active until
 * BullMQ's stall check; re-sending it at once is faster, and the duplicate costs one skipped run.
 */
const PENDING_STATES = new Set(['waiting', 'delayed', 'prioritized', 'waiting-children']);

/**
 * The only way feature code enqueues: typed by job name, routed to its queue, with deterministic
 * job ids (`<jobId>.<chunk>`) so an enqueue repeated after a crash is ignored while the first is
 * still known. All queues share one Redis connection.
 */
@Injectable()
export class JobProducer implements OnApplicationShutdown {
  private readonly queues = new Map<string, Queue>();

  constructor(
    private readonly redis: RedisClient,
    private readonly env: QueueEnv,
  ) {}

  private queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, {
        connection: this.redis.redis,
        prefix: this.env.queuePrefix,
        defaultJobOptions: DEFAULT_JOB_OPTIONS,
      });
      queue.on('error', this.redis.onError);
      this.queues.set(name, queue);
    }
    return queue;
  }

  async enqueue<N extends JobName>(
    name: N,
    payload: PayloadOf<N>,
    options: { delayMs?: number } = {},
  ): Promise<void> {
    await this.queue(queueFor(name, payload)).add(name, payload, {
      jobId: bullJobId(name, payload),
      delay: options.delayMs,
    });
  }

  /**
   * Whether the queue job this payload names is still waiting to run. False when Redis lost it, it
   * failed or completed (then only a new queue job runs it again), or it is active.
   */
  async pending<N extends JobName>(name: N, payload: PayloadOf<N>): Promise<boolean> {
    const id = bullJobId(name, payload);
    const job = id ? await this.queue(queueFor(name, payload)).getJob(id) : undefined;
    if (!job) return false;
    return PENDING_STATES.has(await job.getState());
  }

  /** Enqueues several jobs of one name in one round trip per queue. */
  async enqueueMany<N extends JobName>(name: N, payloads: readonly PayloadOf<N>[]): Promise<void> {
    const byQueue = new Map<string, PayloadOf<N>[]>();
    for (const payload of payloads) {
      const queue = queueFor(name, payload);
      byQueue.set(queue, [...(byQueue.get(queue) ?? []), payload]);
    }
    for (const [queue, list] of byQueue) {
      await this.queue(queue).addBulk(
        list.map((data) => ({ name, data, opts: { jobId: bullJobId(name, data) } })),
      );
    }
  }

  /** Removes a repeating job's schedule (one an earlier version installed), if there is one. */
  async unschedule<N extends JobName>(name: N, payload: PayloadOf<N>): Promise<void> {
    await this.queue(queueFor(name, payload)).removeJobScheduler(name);
  }

  /** Waiting and delayed jobs of a queue (tests and the dashboard use it to see backlog). */
  async backlog(queueName: string): Promise<number> {
    const counts = await this.queue(queueName).getJobCounts(
      'waiting',
      'delayed',
      'active',
      'prioritized',
    );
    return Object.values(counts).reduce((sum, n) => sum + n, 0);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}
