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
 * Loads rows into a table with one `COPY … FROM STDIN` on the caller's transaction: the cheapest
 * way Postgres takes many rows (no statement text to build and parse, no JSON to unpack). Each row
 * holds a value for every column, in order.
 */
export async function copyRows(
  manager: EntityManager,
  table: string,
  columns: readonly CopyColumn[],
  rows: readonly (readonly unknown[])[],
): Promise<void> {
  const types = columns.map((c) => c.pgType);
  function* lines(): Generator<string> {
    for (const row of rows) {
      // Concatenated rather than mapped and joined: no array per row on the hottest write path.
      let line = copyField(row[0], types[0]);
      for (let i = 1; i < types.length; i += 1) line += `\t${copyField(row[i], types[i])}`;
      yield `${line}\n`;
    }
  }
  if (rows.length === 0) return;
  await copyLines(
    manager,
    table,
    columns.map((c) => c.dbColumn),
    lines(),
  );
}

/**
 * `copyRows` for a caller that writes COPY's text format itself (each line ends in a newline, its
 * fields made with `copyField`): what lets a writer spell the fields every row shares only once,
 * and make each line only when the stream asks for it, so nothing of a line outlives its batch.
 * Nothing is sent when `lines` yields none.
 */
export async function copyLines(
  manager: EntityManager,
  table: string,
  columns: readonly string[],
  lines: Iterable<string>,
): Promise<void> {
  const iterator = lines[Symbol.iterator]();
  const first = iterator.next();
  if (first.done) return;
  const client = await connectionOf(manager);
  const names = columns.map(ident).join(', ');
  const sink = client.query(copyFrom(`COPY ${ident(table)} (${names}) FROM STDIN`));
  // Each line is encoded into the batch's buffer as it comes. Handing the stream one string per
  // batch instead made it flatten and encode 500 concatenated lines at once: a tenth of the
  // worker's CPU for an import, about twice what encoding line by line costs.
  function* batches(): Generator<Buffer> {
    let buffer = Buffer.allocUnsafe(BATCH_BYTES);
    let used = 0;
    let inBatch = 0;
    for (let next: IteratorResult<string> = first; !next.done; next = iterator.next()) {
      if (inBatch === BATCH_ROWS) {
        yield buffer.subarray(0, used);
        buffer = Buffer.allocUnsafe(BATCH_BYTES);
        used = 0;
        inBatch = 0;
      }
      const line = next.value;
      const room = used + line.length * MAX_UTF8_PER_UNIT;
      if (room > buffer.length) {
        const larger = Buffer.allocUnsafe(Math.max(buffer.length * 2, room));
        buffer.copy(larger, 0, 0, used);
        buffer = larger;
      }
      used += buffer.write(line, used);
      inBatch += 1;
    }
    yield buffer.subarray(0, used);
  }
  // Two batches ahead at most: the lines are made as the connection takes them, not all at once.
  await pipeline(Readable.from(batches(), { highWaterMark: 2 }), sink);
}
