import { type BulkopsError, ErrorCode } from '@bulkops/contracts';
import { recordCursor } from './record-cursor';

describe('record cursors', () => {
  it.each(['austin/sales', 'zürich/東京 team', 'a"b,c'])(
    'gives back the key %j it was made from',
    (key) => {
      const cursor = recordCursor.encode(key);
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(recordCursor.decode(cursor)).toBe(key);
    },
  );

  const crafted = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  it.each([
    '',
    'bm9wZQ',
    'W10',
    'WzFd',
    '%%%',
    crafted(['\u0000']),
    crafted(['a\ud800b']),
    crafted(['x'.repeat(513)]),
    crafted(['a', 'b']),
    crafted({ 0: 'a' }),
    crafted(null),
  ])('refuses %j with INVALID_REQUEST', (cursor) => {
    expect(() => recordCursor.decode(cursor)).toThrow(
      expect.objectContaining({ code: ErrorCode.InvalidRequest }) as BulkopsError,
    );
  });
});
