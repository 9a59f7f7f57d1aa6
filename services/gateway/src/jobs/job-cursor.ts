import { BulkopsError, ErrorCode } from '@bulkops/contracts';
import type { JobEntity } from '@bulkops/database';

/** An opaque cursor for keyset paging: the last job's submission time and id. */
export function encodeCursor(job: JobEntity): string {
  return Buffer.from(JSON.stringify([job.submittedAt.toISOString(), job.id])).toString('base64url');
}

export function decodeCursor(cursor: string): { submittedAt: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [
      string,
      string,
    ];
    const submittedAt = new Date(at);
    if (Number.isNaN(submittedAt.getTime()) || !/^[0-9a-f-]{36}$/i.test(id))
      throw new Error('bad cursor');
    return { submittedAt, id };
  } catch {
    throw new BulkopsError(
      ErrorCode.InvalidRequest,
      'cursor is not valid; pass the nextCursor of the previous page unchanged',
    );
  }
}
