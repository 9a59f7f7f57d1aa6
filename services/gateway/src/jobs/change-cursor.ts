import type { ChangePosition } from '@bulkops/database';
import { keysetCursor } from '../paging/keyset-cursor';

/** A non-negative int4 as `String(n)` writes it. */
function position(text: unknown): number | null {
  if (typeof text !== 'string' || !/^(0|[1-9]\d{0,9})$/.test(text)) return null;
  const n = Number(text);
  return n <= 2_147_483_647 ? n : null;
}

/**
 * Cursors of `GET /v1/jobs/{id}/changes`: the chunk and row of the page's last change. Anything
 * else (other shapes, numbers Postgres cannot hold) is the client's mistake (400).
 */
export const changeCursor = keysetCursor<ChangePosition>(
  (p) => [String(p.chunkSeq), String(p.rowIndex)],
  (values) => {
    if (values.length !== 2) return null;
    const chunkSeq = position(values[0]);
    const rowIndex = position(values[1]);
    return chunkSeq === null || rowIndex === null ? null : { chunkSeq, rowIndex };
  },
);
