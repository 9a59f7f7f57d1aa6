import { Transform } from 'node:stream';

/**
 * Joins the many small chunks a row-by-row writer produces (one per CSV row) into chunks of at
 * least `minBytes`, so the next stage — a socket write, a deflate call — runs once per batch
 * instead of once per row. The first chunk passes at once, so a download starts without waiting.
 * Holds at most `minBytes` plus one chunk.
 */
export function batchChunks(minBytes = 64 * 1024): Transform {
  let held: Buffer[] = [];
  let heldBytes = 0;
  let first = true;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (first) {
        first = false;
        callback(null, chunk);
        return;
      }
      held.push(chunk);
      heldBytes += chunk.length;
      if (heldBytes < minBytes) {
        callback();
        return;
      }
      const batch = Buffer.concat(held, heldBytes);
      held = [];
      heldBytes = 0;
      callback(null, batch);
    },
    flush(callback) {
      callback(null, heldBytes > 0 ? Buffer.concat(held, heldBytes) : undefined);
    },
  });
}
