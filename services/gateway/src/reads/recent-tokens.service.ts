import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { TokenRepository, type Principal } from '@bulkops/database';
import { GatewayEnv } from '../gateway.env';
import { JobChangeListener } from '../events/job-change-listener';
import { ReadCache } from './read-cache';

/** Token lookups one gateway remembers at most (a few hundred bytes each). */
const MAX_REMEMBERED_TOKENS = 10_000;

/**
 * Token lookups by hash, remembered for GATEWAY_READ_CACHE_MS: a client polling a job sends the
 * same token many times a second, and each lookup is a round trip to a database that is busy
 * importing. Revocation still takes effect at once: the revoking transaction notifies every
 * gateway (migration AddTokenRevokedNotification), and while that notification cannot be heard
 * nothing is remembered.
 */
@Injectable()
export class RecentTokens implements OnModuleInit, OnModuleDestroy {
  private readonly recent: ReadCache<Principal | null>;
  private readonly maxAgeMs: number;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly tokens: TokenRepository,
    private readonly listener: JobChangeListener,
    env: GatewayEnv,
  ) {
    this.maxAgeMs = env.gatewayReadCacheMs;
    this.recent = new ReadCache({ maxAgeMs: this.maxAgeMs, maxEntries: MAX_REMEMBERED_TOKENS });
  }

  onModuleInit(): void {
    this.unsubscribe = this.listener.subscribeRevocations({
      revoked: (hash) => this.recent.invalidate(hash),
      resync: () => this.recent.clear(),
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  /** The principal of an active token with this hash, or null. */
  find(tokenHash: string): Promise<Principal | null> {
    const lookup = () => this.tokens.findActiveByHash(tokenHash);
    if (this.maxAgeMs === 0 || !this.listener.listening) return lookup();
    return this.recent.get(tokenHash, '', lookup);
  }
}
