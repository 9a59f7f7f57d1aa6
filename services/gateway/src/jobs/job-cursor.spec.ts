import { type BulkopsError, ErrorCode } from '@bulkops/contracts';
import { jobCursor } from './job-cursor';

const crafted = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('job cursors', () => {
  it('gives back the submission time and id they were made from', () => {
    const position = {
      submittedAt: new Date('2031-05-04T10:11:12.345Z'),
      id: '0b7f8f2e-6a7c-4f57-9d61-2f4b8d3e1a90',
    };
    const cursor = jobCursor.encode(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(jobCursor.decode(cursor)).toEqual(position);
  });

  it.each([
    ['empty', ''],
    ['a bad time', crafted(['not a date', '0b7f8f2e-6a7c-4f57-9d61-2f4b8d3e1a90'])],
    ['a bad id', crafted(['2031-05-04T10:11:12.345Z', '42'])],
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
    expect(() => jobCursor.decode(cursor)).toThrow(
      expect.objectContaining({ code: ErrorCode.InvalidRequest }) as BulkopsError,
    );
  });
});
