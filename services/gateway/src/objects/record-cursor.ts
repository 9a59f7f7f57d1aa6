import { keysetCursor } from '../paging/keyset-cursor';

/** Cursors of `GET /v1/objects/{type}/records`: the normalised key of the page's last record. */
export const recordCursor = keysetCursor<string>(
  (keyNorm) => [keyNorm],
  ([keyNorm]) => (typeof keyNorm === 'string' && keyNorm.length > 0 ? keyNorm : null),
);
