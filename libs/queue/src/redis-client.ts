import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import IORedis, { type Redis } from 'ioredis';
import { RedisEnv } from '@bulkops/config';
import { redisOptions } from './redis-options';

/**
 * The service's shared Redis connection for short commands: producers, locks, health. Blocking
 * consumers (BullMQ workers) open their own.
 */
@Injectable()
export class RedisClient implements OnApplicationShutdown {
  readonly redis: Redis;

  constructor(env: RedisEnv) {
    this.redis = new IORedis(redisOptions(env.redisUrl));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
