import { BulkopsError, ErrorCode } from '@bulkops/contracts';
import type { JobEntity } from '@bulkops/database';

/** An opaque cursor for keyset paging: the last job's submission time and id. */
export function encodeCursor(job: JobEntity): string {
  return Buffer.from(JSON.stringify([job.submittedAt.toISOString(), job.id])).toString('base64url');
}

// Exactly what encodeCursor writes: Date#toISOString of a time Postgres can hold, and a UUID.
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Reads a cursor back. Anything but what `encodeCursor` writes — other JSON, other shapes, a time
 * or id Postgres would refuse — is the client's mistake (400), never a query that fails.
 */
export function decodeCursor(cursor: string): { submittedAt: Date; id: string } {
  let decoded: unknown = null;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    // Not JSON: refused below like any other shape.
  }
  if (Array.isArray(decoded) && decoded.length === 2) {
    const [at, id] = decoded as unknown[];
    if (typeof at === 'string' && typeof id === 'string' && ISO_TIME.test(at) && UUID.test(id)) {
      const submittedAt = new Date(at);
      if (!Number.isNaN(submittedAt.getTime()) && submittedAt.toISOString() === at) {
        return { submittedAt, id };
      }
    }
  }
  throw new BulkopsError(
    ErrorCode.InvalidRequest,
    'cursor is not valid; pass the nextCursor of the previous page unchanged',
  );
}
