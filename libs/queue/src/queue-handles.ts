import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { QueueEnv } from '@bulkops/config';
import { RedisClient } from './redis-client';

/**
 * Handles on queues by name, for tools that look into queues (the gateway's queue board) rather
 * than feed them: work is enqueued only through JobProducer. The handles share the service's Redis
 * connection and are closed at shutdown.
 */
@Injectable()
export class QueueHandles implements OnApplicationShutdown {
  private readonly queues = new Map<string, Queue>();

  constructor(
    private readonly redisClient: RedisClient,
    private readonly env: QueueEnv,
  ) {}

  /** The queue of this name under the stack's prefix. */
  open(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.redisClient.redis, prefix: this.env.queuePrefix });
      queue.on('error', this.redisClient.onError);
      this.queues.set(name, queue);
    }
    return queue;
  }

  /** Names of the queues Redis holds under the prefix (a queue leaves `meta` and `events` keys). */
  async discover(): Promise<string[]> {
    const prefix = `${this.env.queuePrefix}:`;
    const names = new Set<string>();
    for (const suffix of [':meta', ':events']) {
      const stream = this.redisClient.redis.scanStream({
        match: `${prefix}*${suffix}`,
        count: 500,
      });
      for await (const keys of stream as AsyncIterable<string[]>) {
        for (const key of keys) {
          const name = key.slice(prefix.length, -suffix.length);
          if (name && !name.includes(':')) names.add(name);
        }
      }
    }
    return [...names].sort();
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close().catch(() => undefined)));
  }
}
