import { type BulkopsError, ErrorCode } from '@bulkops/contracts';
import { jobCursor } from './job-cursor';

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
    ['', 'empty'],
    [
      Buffer.from('["not a date","0b7f8f2e-6a7c-4f57-9d61-2f4b8d3e1a90"]').toString('base64url'),
      'a bad time',
    ],
    [Buffer.from('["2031-05-04T10:11:12.345Z","42"]').toString('base64url'), 'a bad id'],
    [Buffer.from('{"at":1}').toString('base64url'), 'not an array'],
  ])('refuses %j (%s) with INVALID_REQUEST', (cursor) => {
    expect(() => jobCursor.decode(cursor)).toThrow(
      expect.objectContaining({ code: ErrorCode.InvalidRequest }) as BulkopsError,
    );
  });
});
