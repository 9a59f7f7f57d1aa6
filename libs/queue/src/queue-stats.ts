import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { QueueEnv } from '@bulkops/config';
import { RedisClient } from './redis-client';

/** The states of a queue's jobs an operator watches. */
export const WATCHED_QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/** How many jobs a queue holds in each watched state. */
export type QueueCounts = Record<(typeof WATCHED_QUEUE_STATES)[number], number>;

/** Reads queue lengths for metrics and dashboards; never adds or changes jobs. */
@Injectable()
export class QueueStats implements OnApplicationShutdown {
  private readonly queues = new Map<string, Queue>();

  constructor(
    private readonly redis: RedisClient,
    private readonly env: QueueEnv,
  ) {}

  async counts(queueName: string): Promise<QueueCounts> {
    let queue = this.queues.get(queueName);
    if (!queue) {
      queue = new Queue(queueName, { connection: this.redis.redis, prefix: this.env.queuePrefix });
      queue.on('error', this.redis.onError);
      this.queues.set(queueName, queue);
    }
    const counts = await queue.getJobCounts('wait', 'prioritized', 'active', 'delayed', 'failed');
    return {
      waiting: (counts['wait'] ?? 0) + (counts['prioritized'] ?? 0),
      active: counts['active'] ?? 0,
      delayed: counts['delayed'] ?? 0,
      failed: counts['failed'] ?? 0,
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}
