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

  it.each(['', 'bm9wZQ', 'W10', 'WzFd', '%%%'])('refuses %j with INVALID_REQUEST', (cursor) => {
    expect(() => recordCursor.decode(cursor)).toThrow(
      expect.objectContaining({ code: ErrorCode.InvalidRequest }) as BulkopsError,
    );
  });
});
