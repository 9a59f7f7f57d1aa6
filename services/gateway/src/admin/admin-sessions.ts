import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { QueueEnv } from '@bulkops/config';
import { TokenRepository, type Principal } from '@bulkops/database';
import { RedisClient } from '@bulkops/queue';
import { GatewayEnv } from '../gateway.env';

/** The cookie that carries a queue-board session: HttpOnly, SameSite=Strict, sent only to /admin. */
export const ADMIN_SESSION_COOKIE = 'bulkops_admin_session';

/**
 * Browser sessions of the queue board (`/admin/queues`), which a browser opens by navigation and so
 * cannot authenticate with an Authorization header. The dashboard trades its admin token for a
 * random session id (`POST /admin/session`); Redis keeps, under the stack's prefix and with a TTL,
 * the hash of that id mapped to the hash of the token, so every replica recognises the session and
 * a revoked token ends it at once. Neither the token nor the id is stored in the clear.
 */
@Injectable()
export class AdminSessions {
  constructor(
    private readonly redisClient: RedisClient,
    private readonly tokens: TokenRepository,
    private readonly queueEnv: QueueEnv,
    private readonly env: GatewayEnv,
  ) {}

  get ttlMs(): number {
    return this.env.gatewayAdminSessionTtlMs;
  }

  /** Opens a session for a token (by its hash); answers the id the cookie carries. */
  async open(tokenHash: string): Promise<string> {
    const id = randomBytes(32).toString('base64url');
    await this.redisClient.redis.set(this.key(id), tokenHash, 'PX', this.ttlMs);
    return id;
  }

  /** Who a session speaks for, or null when it is unknown, expired or its token was revoked. */
  async principalOf(id: string | null): Promise<Principal | null> {
    if (!id) return null;
    const tokenHash = await this.redisClient.redis.get(this.key(id));
    return tokenHash ? this.tokens.findActiveByHash(tokenHash) : null;
  }

  async close(id: string | null): Promise<void> {
    if (id) await this.redisClient.redis.del(this.key(id));
  }

  private key(id: string): string {
    return `${this.queueEnv.queuePrefix}:admin-session:${createHash('sha256').update(id).digest('hex')}`;
  }
}

/** The session id a request's Cookie header carries, or null. */
export function sessionIdOf(cookieHeader: string | undefined): string | null {
  for (const part of (cookieHeader ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === ADMIN_SESSION_COOKIE) return value.join('=') || null;
  }
  return null;
}
