import { BulkopsError, ErrorCode } from '@bulkops/contracts';
import { UNSTORABLE_CHARACTER } from '@bulkops/objects';

/** An opaque cursor for keyset paging of records: the normalised key of the page's last record. */
export function encodeRecordCursor(keyNorm: string): string {
  return Buffer.from(JSON.stringify([keyNorm]), 'utf8').toString('base64url');
}

/** Longer than any key (two names of 80 characters, or an email of 254) can be. */
const MAX_KEY_CHARS = 512;

/**
 * Reads a cursor back. Anything but what `encodeRecordCursor` writes — other shapes, a key no
 * record can have, characters Postgres cannot compare — is the client's mistake (400).
 */
export function decodeRecordCursor(cursor: string): string {
  let decoded: unknown = null;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    // Not JSON: refused below like any other shape.
  }
  const keyNorm: unknown = Array.isArray(decoded) && decoded.length === 1 ? decoded[0] : null;
  if (
    typeof keyNorm === 'string' &&
    keyNorm.length > 0 &&
    keyNorm.length <= MAX_KEY_CHARS &&
    !UNSTORABLE_CHARACTER.test(keyNorm)
  ) {
    return keyNorm;
  }
  throw new BulkopsError(
    ErrorCode.InvalidRequest,
    'cursor is not valid; pass the nextCursor of the previous page unchanged',
  );
}
