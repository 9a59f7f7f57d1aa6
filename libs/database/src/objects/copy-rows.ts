import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { EntityManager } from 'typeorm';
import type { PgType } from '@bulkops/objects';
import { ident } from './object-rows';

/** A column COPY fills: its name and the type its values are written as. */
export interface CopyColumn {
  dbColumn: string;
  pgType: PgType;
}

/** Rows written to the COPY stream at once: large enough to keep writes few, small enough to stay flat. */
const BATCH_ROWS = 500;

/** Room a batch's buffer starts with; it doubles when a batch needs more. */
const BATCH_BYTES = 256 * 1024;

/** The most bytes UTF-8 needs for one UTF-16 code unit (a pair's two units need four together). */
const MAX_UTF8_PER_UNIT = 3;

/**
 * What starts COPY's binary format: the signature, 32 bits of flags (none) and the length of the
 * header extension (none). The data ends with a tuple of -1 fields (BINARY_TRAILER).
 */
const BINARY_HEADER = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
const BINARY_TRAILER = Buffer.from([0xff, 0xff]);

/** The element type of each array type, as binary arrays name it (pg_type oids). */
const ELEMENT_OID: Partial<Record<PgType, number>> = { 'text[]': 25, 'uuid[]': 2950 };

/** The value of each hex digit by character code; 255 for a character that is not one. */
const HEX_VALUE = new Uint8Array(128).fill(255);
for (let digit = 0; digit < 16; digit += 1) {
  HEX_VALUE['0123456789abcdef'.charCodeAt(digit)] = digit;
  HEX_VALUE['0123456789ABCDEF'.charCodeAt(digit)] = digit;
}

/** A scalar as text: kinds store strings, numbers and booleans (objects and arrays go as JSON). */
function scalarText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/**
 * Rows in COPY's binary format, encoded value by value into one buffer per batch of rows: no
 * escaping, a uuid sent as its 16 bytes instead of 36 characters, and each value's bytes written
 * where they go, so a row leaves no text behind. For 100,000 users (bench/copy-format.mjs) this
 * process spends 0.32-0.43 s encoding them against 0.50-0.63 s for the text format, and sends
 * 28.5 MB instead of 35.9; Postgres' CPU is the same within the machine's noise (its foreign-key
 * checks and index inserts outweigh reading the values).
 */
export class CopyBinary {
  private buffer = Buffer.allocUnsafe(BATCH_BYTES);
  private used = 0;
  private ended = 0;

  constructor() {
    this.room(BINARY_HEADER.length);
    this.used += BINARY_HEADER.copy(this.buffer, this.used);
  }

  /** Appends a row of values, one per column type. */
  row(values: readonly unknown[], types: readonly PgType[]): void {
    this.room(2);
    this.buffer[this.used] = types.length >> 8;
    this.buffer[this.used + 1] = types.length;
    this.used += 2;
    for (let i = 0; i < types.length; i += 1) this.value(values[i], types[i]);
    this.ended += 1;
  }

  /** Rows appended since the last batch was taken. */
  get rows(): number {
    return this.ended;
  }

  /** The batch so far; the next one starts in a fresh buffer (the stream may still hold this one). */
  take(): Buffer {
    const batch = this.buffer.subarray(0, this.used);
    this.buffer = Buffer.allocUnsafe(BATCH_BYTES);
    this.used = 0;
    this.ended = 0;
    return batch;
  }

  /** The last batch: what is left, and the end of the data. */
  finish(): Buffer {
    this.room(BINARY_TRAILER.length);
    this.used += BINARY_TRAILER.copy(this.buffer, this.used);
    return this.take();
  }

  /** One field: its length (-1 for NULL), then the value in its type's binary form. */
  private value(value: unknown, type: PgType): void {
    if (value === null || value === undefined) {
      this.room(4);
      this.int32(-1);
      return;
    }
    switch (type) {
      case 'text':
        return this.text(scalarText(value), 0);
      case 'jsonb':
        return this.text(JSON.stringify(value), 1); // jsonb's binary form: version 1, then the text
      case 'boolean':
        this.room(5);
        this.int32(1);
        this.buffer[this.used++] = value ? 1 : 0;
        return;
      case 'integer':
        if (!Number.isInteger(value) || (value as number) !== ((value as number) | 0))
          throw new TypeError(`not a 32-bit integer: ${scalarText(value)}`);
        this.room(8);
        this.int32(4);
        this.int32(value as number);
        return;
      case 'uuid':
        this.room(20);
        this.int32(16);
        this.uuid(value);
        return;
      case 'text[]':
      case 'uuid[]':
        return this.array(value as readonly unknown[], type);
    }
  }

  /**
   * Text as UTF-8 after its length, with `version` (jsonb's) first when not 0. ASCII is copied code
   * by code and only what follows the first other character goes through `Buffer.write`: most cells
   * are short and ASCII, and a call into the encoder per cell cost more than the copy (after the
   * first pass of fresh processes, 100,000 users took 92-284 ms to encode this way against
   * 103-410 ms with a `write` per value; this machine's speed drifts that much too).
   */
  private text(text: string, version: number): void {
    this.room(5 + text.length * MAX_UTF8_PER_UNIT);
    const { buffer } = this;
    const at = this.used;
    let used = at + 4;
    if (version !== 0) buffer[used++] = version;
    let i = 0;
    for (; i < text.length; i += 1) {
      const code = text.charCodeAt(i);
      if (code >= 0x80) break;
      buffer[used++] = code;
    }
    if (i < text.length) used += buffer.write(text.slice(i), used);
    this.int32At(at, used - at - 4);
    this.used = used;
  }

  /** A UUID's 16 bytes from its text (8-4-4-4-12 hex digits); room is the caller's. */
  private uuid(value: unknown): void {
    const text = String(value);
    const { buffer } = this;
    let bad = text.length !== 36;
    for (let byte = 0, char = 0; byte < 16 && !bad; byte += 1, char += 2) {
      if (char === 8 || char === 13 || char === 18 || char === 23) {
        bad = text.charCodeAt(char) !== 45; // '-'
        char += 1;
      }
      const high = HEX_VALUE[text.charCodeAt(char)] ?? 255;
      const low = HEX_VALUE[text.charCodeAt(char + 1)] ?? 255;
      bad ||= high === 255 || low === 255;
      buffer[this.used + byte] = (high << 4) | low;
    }
    if (bad) throw new TypeError(`not a UUID: ${text}`);
    this.used += 16;
  }

  /**
   * A one-dimensional array (or an empty one, of no dimension): dimensions, whether any element is
   * NULL, the element type, the length and lower bound (1), then each element as a field.
   */
  private array(values: readonly unknown[], type: PgType): void {
    this.room(24);
    const at = this.used;
    this.used += 4;
    this.int32(values.length === 0 ? 0 : 1);
    this.int32(values.some((v) => v === null || v === undefined) ? 1 : 0);
    this.int32(ELEMENT_OID[type]!);
    if (values.length > 0) {
      this.int32(values.length);
      this.int32(1);
    }
    const elementType = type === 'uuid[]' ? 'uuid' : 'text';
    for (const element of values) this.value(element, elementType);
    this.int32At(at, this.used - at - 4);
  }

  /** Appends a 32-bit integer; room is the caller's. */
  private int32(value: number): void {
    this.int32At(this.used, value);
    this.used += 4;
  }

  /**
   * A 32-bit integer, big-endian, at `at`. Buffer's writeInt32BE checks its arguments on every
   * call, which a length written for every field need not pay.
   */
  private int32At(at: number, value: number): void {
    const { buffer } = this;
    buffer[at] = value >>> 24;
    buffer[at + 1] = value >>> 16;
    buffer[at + 2] = value >>> 8;
    buffer[at + 3] = value;
  }

  private room(bytes: number): void {
    if (this.used + bytes <= this.buffer.length) return;
    const larger = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.used + bytes));
    this.buffer.copy(larger, 0, 0, this.used);
    this.buffer = larger;
  }
}

/** The pg connection of the caller's transaction, which COPY has to run on. */
async function connectionOf(manager: EntityManager): Promise<PoolClient> {
  if (!manager.queryRunner) throw new Error('COPY must run inside a transaction');
  return (await manager.queryRunner.connect()) as PoolClient;
}

/**
 * Loads rows into a table with one `COPY … FROM STDIN (FORMAT binary)` on the caller's transaction:
 * the cheapest way Postgres takes many rows (no statement text to build and parse, no JSON to
 * unpack, no value to parse from text). Each row holds a value for every column, in order. `rows`
 * is read once, as the connection takes batches (two ahead at most), so the bytes are made while
 * Postgres reads them, a caller that makes each row only then keeps none alive for the whole COPY,
 * and nothing outlives its batch. Nothing is sent when `rows` is empty.
 */
export async function copyRows(
  manager: EntityManager,
  table: string,
  columns: readonly CopyColumn[],
  rows: Iterable<readonly unknown[]>,
): Promise<void> {
  const iterator = rows[Symbol.iterator]();
  const first = iterator.next();
  if (first.done) return;
  const client = await connectionOf(manager);
  const names = columns.map((c) => ident(c.dbColumn)).join(', ');
  const types = columns.map((c) => c.pgType);
  const sink = client.query(
    copyFrom(`COPY ${ident(table)} (${names}) FROM STDIN WITH (FORMAT binary)`),
  );
  function* batches(): Generator<Buffer> {
    const binary = new CopyBinary();
    for (let next: IteratorResult<readonly unknown[]> = first; !next.done; next = iterator.next()) {
      if (binary.rows === BATCH_ROWS) yield binary.take();
      binary.row(next.value, types);
    }
    yield binary.finish();
  }
  await pipeline(Readable.from(batches(), { highWaterMark: 2 }), sink);
}
