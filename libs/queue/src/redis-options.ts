import type { RedisOptions } from 'ioredis';

/**
 * ioredis options from a redis:// URL. `maxRetriesPerRequest: null` is what BullMQ workers need: a
 * command waits for Redis to come back instead of failing, so a Redis restart pauses work rather
 * than losing it.
 */
export function redisOptions(url: string): RedisOptions {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null,
  };
}
