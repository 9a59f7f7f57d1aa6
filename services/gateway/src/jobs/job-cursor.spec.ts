import { type BulkopsError, ErrorCode } from '@bulkops/contracts';
import type { JobEntity } from '@bulkops/database';
import { decodeCursor, encodeCursor } from './job-cursor';

const crafted = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('job cursors', () => {
  it('gives back the time and id they were made from', () => {
    const job = {
      submittedAt: new Date('2026-03-01T10:20:30.456Z'),
      id: '0b3c5e38-8d0e-4c4e-9f1a-2f6f0c1d2e3f',
    } as JobEntity;
    expect(decodeCursor(encodeCursor(job))).toEqual({ submittedAt: job.submittedAt, id: job.id });
  });

  it.each([
    ['a dash-only id', crafted(['2099-01-01T00:00:00.000Z', '-'.repeat(36)])],
    ['a time Postgres cannot hold', crafted(['+275760-09-13T00:00:00.000Z', crypto.randomUUID()])],
    ['a time of another shape', crafted(['2099-01-01', crypto.randomUUID()])],
    ['an impossible date', crafted(['2099-02-31T00:00:00.000Z', crypto.randomUUID()])],
    ['a NUL', crafted(['\u0000', '\u0000'])],
    ['numbers', crafted([0, 1])],
    ['an object', crafted({ at: 1 })],
    ['three items', crafted(['2099-01-01T00:00:00.000Z', crypto.randomUUID(), 'x'])],
    ['base64url garbage', '----____'],
    ['not base64url at all', '%00%ff'],
  ])('refuses %s with INVALID_REQUEST', (_what, cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(
      expect.objectContaining({ code: ErrorCode.InvalidRequest }) as BulkopsError,
    );
  });
});
