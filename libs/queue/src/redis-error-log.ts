import type { Logger } from '@nestjs/common';

/** At most one line per this long for one connection while Redis stays away. */
const QUIET_MS = 30_000;

/**
 * The 'error' handler of a Redis connection (ioredis client, BullMQ worker): one JSON log line
 * through the service's logger when Redis goes away and then at most every 30 s, with the error's
 * code and message but no stack. Without a handler ioredis prints multi-line stacks to stderr.
 */
export function redisErrorLog(logger: Logger, connection: string): (error: Error) => void {
  let lastLoggedAt = 0;
  return (error: Error) => {
    const now = Date.now();
    if (now - lastLoggedAt < QUIET_MS) return;
    lastLoggedAt = now;
    const code = (error as { code?: string }).code;
    logger.warn(
      { connection, code, reason: error.message },
      `Redis connection error (${code ?? error.message}); retrying in the background`,
    );
  };
}
