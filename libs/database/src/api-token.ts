import { createHash, randomBytes } from 'node:crypto';

/** A new bearer token: a recognisable prefix and 256 random bits. */
export function generateApiToken(): string {
  return `bko_${randomBytes(32).toString('base64url')}`;
}

/**
 * The stored form of a token. A fast hash is right here: tokens are random, not passwords, so
 * there is nothing to guess, and every request pays for the hash.
 */
export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
