import { UNSTORABLE_CHARACTER } from '@bulkops/objects';
import { keysetCursor } from '../paging/keyset-cursor';

/** Longer than any key (two names of 80 characters, or an email of 254) can be. */
const MAX_KEY_CHARS = 512;

/**
 * Cursors of `GET /v1/objects/{type}/records`: the normalised key of the page's last record. A key
 * no record can have, or characters Postgres cannot compare, is the client's mistake (400).
 */
export const recordCursor = keysetCursor<string>(
  (keyNorm) => [keyNorm],
  (values) => {
    const [keyNorm] = values;
    return values.length === 1 &&
      typeof keyNorm === 'string' &&
      keyNorm.length > 0 &&
      keyNorm.length <= MAX_KEY_CHARS &&
      !UNSTORABLE_CHARACTER.test(keyNorm)
      ? keyNorm
      : null;
  },
);
