import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import IORedis, { type Redis } from 'ioredis';
import { RedisEnv } from '@bulkops/config';
import { redisErrorLog } from './redis-error-log';
import { redisOptions } from './redis-options';

/**
 * A command on the shared connection fails after this many reconnect attempts (well under two
 * seconds) instead of waiting for Redis: an API request answers 503 rather than hanging, and a
 * queue handler's enqueue fails and is retried by BullMQ.
 */
const RETRIES_PER_COMMAND = 3;

/**
 * The service's shared Redis connection for short commands: producers, locks, health. Blocking
 * consumers (BullMQ workers) open their own.
 */
@Injectable()
export class RedisClient implements OnApplicationShutdown {
  private readonly logger = new Logger(RedisClient.name);
  readonly redis: Redis;
  /**
   * The 'error' handler of this connection, for the BullMQ queues built on it too: a queue re-emits
   * its connection's errors and, with no handler of its own, BullMQ prints them as raw stacks.
   */
  readonly onError = redisErrorLog(this.logger, 'shared');

  constructor(env: RedisEnv) {
    this.redis = new IORedis({
      ...redisOptions(env.redisUrl),
      maxRetriesPerRequest: RETRIES_PER_COMMAND,
    });
    this.redis.on('error', this.onError);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
