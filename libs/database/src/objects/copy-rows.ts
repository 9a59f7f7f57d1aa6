import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { EntityManager } from 'typeorm';
import type { PgType } from '@bulkops/objects';
import { ident } from './object-rows';

/** The column types COPY writes values for: an object's kinds, and `json` for records kept whole. */
export type CopyType = PgType | 'json';

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

const ESCAPED = /[\\\n\r\t]/;
const ESCAPED_ALL = /[\\\n\r\t]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Text as a field of COPY's text format: backslash, newline, CR and tab escaped. */
function escapeField(text: string): string {
  // Most cells need nothing: testing first spares a replace (and a new string) per cell.
  return ESCAPED.test(text) ? text.replace(ESCAPED_ALL, (c) => ESCAPES[c]) : text;
}

/** A scalar as text: kinds store strings, numbers and booleans (objects and arrays go as JSON). */
function scalarText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** An array literal (`{"a","b"}`): every element quoted, so commas, braces and blanks stay data. */
function arrayLiteral(values: readonly unknown[]): string {
  const elements = values.map((v) =>
    v === null || v === undefined ? 'NULL' : `"${scalarText(v).replace(/[\\"]/g, '\\$&')}"`,
  );
  return `{${elements.join(',')}}`;
}

/** One value as COPY's text format writes it for a column of `pgType`. */
export function copyField(value: unknown, pgType: CopyType): string {
  if (value === null || value === undefined) return '\\N';
  switch (pgType) {
    case 'boolean':
      return value ? 't' : 'f';
    case 'integer':
    case 'uuid':
      return scalarText(value);
    case 'text[]':
    case 'uuid[]':
      return escapeField(arrayLiteral(value as unknown[]));
    case 'json':
    case 'jsonb':
      return escapeField(JSON.stringify(value));
    case 'text':
      return escapeField(scalarText(value));
  }
}

/** The pg connection of the caller's transaction, which COPY has to run on. */
async function connectionOf(manager: EntityManager): Promise<PoolClient> {
  if (!manager.queryRunner) throw new Error('COPY must run inside a transaction');
  return (await manager.queryRunner.connect()) as PoolClient;
}

/**
 * COPY text encoded row by row into one buffer per batch of rows. Handing the stream one
 * concatenated string per batch made it flatten and encode 500 lines at once; encoding each row as
 * it ends costs about half that, and a row's text is garbage as soon as it is in the buffer (one
 * write per field instead cost more in calls than it saved in concatenation).
 */
export class CopyText {
  private buffer = Buffer.allocUnsafe(BATCH_BYTES);
  private used = 0;
  /** The current row's fields so far, tab-separated; null before its first field. */
  private row: string | null = null;
  private ended = 0;

  /** Appends the next field of the row (made with `copyField`, or several already tab-joined). */
  field(text: string): void {
    this.row = this.row === null ? text : `${this.row}\t${text}`;
  }

  endRow(): void {
    const line = `${this.row ?? ''}\n`;
    this.row = null;
    this.room(line.length * MAX_UTF8_PER_UNIT);
    this.used += this.buffer.write(line, this.used);
    this.ended += 1;
  }

  /** Rows ended since the last batch was taken. */
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

  private room(bytes: number): void {
    if (this.used + bytes <= this.buffer.length) return;
    const larger = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.used + bytes));
    this.buffer.copy(larger, 0, 0, this.used);
    this.buffer = larger;
  }
}

/**
 * Runs one `COPY … FROM STDIN` on the caller's transaction, fed by `fill`, which appends the row of
 * each item to the COPY text (its fields, then `endRow`). `items` is read once, as the connection
 * takes batches (two ahead at most), so the text is made while Postgres reads it, a caller that
 * makes each item only then keeps none alive for the whole COPY, and nothing of the text outlives
 * its batch. What lets a writer spell the fields all its rows share only once (change records).
 * Nothing is sent when `items` is empty.
 */
export async function copyItems<T>(
  manager: EntityManager,
  table: string,
  columns: readonly string[],
  items: Iterable<T>,
  fill: (item: T, text: CopyText) => void,
): Promise<void> {
  const iterator = items[Symbol.iterator]();
  const first = iterator.next();
  if (first.done) return;
  const client = await connectionOf(manager);
  const names = columns.map(ident).join(', ');
  const sink = client.query(copyFrom(`COPY ${ident(table)} (${names}) FROM STDIN`));
  function* batches(): Generator<Buffer> {
    const text = new CopyText();
    for (let next: IteratorResult<T> = first; !next.done; next = iterator.next()) {
      if (text.rows === BATCH_ROWS) yield text.take();
      fill(next.value, text);
    }
    yield text.take();
  }
  await pipeline(Readable.from(batches(), { highWaterMark: 2 }), sink);
}

/**
 * Loads rows into a table with one `COPY … FROM STDIN` on the caller's transaction: the cheapest
 * way Postgres takes many rows (no statement text to build and parse, no JSON to unpack). Each row
 * holds a value for every column, in order; `rows` is read as `copyItems` reads its items.
 */
export async function copyRows(
  manager: EntityManager,
  table: string,
  columns: readonly CopyColumn[],
  rows: Iterable<readonly unknown[]>,
): Promise<void> {
  const types = columns.map((c) => c.pgType);
  await copyItems(
    manager,
    table,
    columns.map((c) => c.dbColumn),
    rows,
    (row, text) => {
      for (let i = 0; i < types.length; i += 1) text.field(copyField(row[i], types[i]));
      text.endRow();
    },
  );
}
