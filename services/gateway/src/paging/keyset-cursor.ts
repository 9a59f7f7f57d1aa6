import { BulkopsError, ErrorCode } from '@bulkops/contracts';

/** Encodes a page position as an opaque cursor and reads it back. */
export interface KeysetCursor<P> {
  encode(position: P): string;
  /** The position of a cursor; INVALID_REQUEST for anything this codec did not make. */
  decode(cursor: string): P;
}

/**
 * The one cursor format of the API: the sort values of a page's last item as a JSON array, in
 * base64url. `read` turns the values back into a position, or null when they are not one.
 */
export function keysetCursor<P>(
  write: (position: P) => readonly string[],
  read: (values: readonly unknown[]) => P | null,
): KeysetCursor<P> {
  return {
    encode: (position) =>
      Buffer.from(JSON.stringify(write(position)), 'utf8').toString('base64url'),
    decode: (cursor) => {
      const position = parse(cursor);
      if (position === null) {
        throw new BulkopsError(
          ErrorCode.InvalidRequest,
          'cursor is not valid; pass the nextCursor of the previous page unchanged',
        );
      }
      return position;
    },
  };

  function parse(cursor: string): P | null {
    try {
      const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
      return Array.isArray(values) ? read(values) : null;
    } catch {
      return null;
    }
  }
}
