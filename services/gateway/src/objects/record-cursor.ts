import { BulkopsError, ErrorCode } from '@bulkops/contracts';

/** An opaque cursor for keyset paging of records: the normalised key of the page's last record. */
export function encodeRecordCursor(keyNorm: string): string {
  return Buffer.from(JSON.stringify([keyNorm]), 'utf8').toString('base64url');
}

export function decodeRecordCursor(cursor: string): string {
  try {
    const [keyNorm] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof keyNorm !== 'string' || keyNorm.length === 0) throw new Error('bad cursor');
    return keyNorm;
  } catch {
    throw new BulkopsError(
      ErrorCode.InvalidRequest,
      'cursor is not valid; pass the nextCursor of the previous page unchanged',
    );
  }
}
