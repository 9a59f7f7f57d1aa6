import { type ErrorCode } from '@bulkops/contracts';

/**
 * One thing wrong with one row. `message` is a whole sentence that starts with the column name,
 * quotes the value and says how to fix it; several problems of a row are joined with '; '.
 */
export interface RowProblem {
  code: ErrorCode;
  column?: string;
  message: string;
}

/** The outcome of reading one cell or binding one value: a value, or why there is none. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; problem: RowProblem };

export function ok<T>(value: T): Outcome<T> {
  return { ok: true, value };
}

export function problem(code: ErrorCode, column: string, message: string): Outcome<never> {
  return { ok: false, problem: { code, column, message: `${column}: ${message}` } };
}

/** A character Postgres cannot store in text: NUL, or half of a UTF-16 surrogate pair. */
export const UNSTORABLE_CHARACTER =
  /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const UNSTORABLE_CHARACTERS = new RegExp(UNSTORABLE_CHARACTER.source, 'g');

/**
 * Whether any cell holds a character Postgres cannot store. Runs for every cell of every row (twice
 * in ingest, once in the worker): the engine's own well-formedness test and a NUL search say the
 * same as UNSTORABLE_CHARACTER in about 60 % of its time, and allocate nothing.
 */
export function hasUnstorableCell(cells: readonly (string | null)[]): boolean {
  for (const cell of cells) if (cell && (!cell.isWellFormed() || cell.includes('\0'))) return true;
  return false;
}

/**
 * A value as a message may carry it: characters Postgres cannot store shown as U+FFFD, so quoting
 * a bad value never makes the message itself unstorable.
 */
export function storableText(value: string): string {
  return value.replace(UNSTORABLE_CHARACTERS, '\ufffd');
}

/** Quotes a value for a message the way every message does: at most 60 characters, storable. */
export function quote(value: string): string {
  const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
  return `'${storableText(shown)}'`;
}

/** Names some objects in a sentence: `'A', 'B' and 'C'`, or `'A', 'B' and 4 more` when `count` says there are more. */
export function quoteKeys(keys: readonly string[], count = keys.length): string {
  const quoted = keys.map(quote);
  const more = count - keys.length;
  if (more > 0) return `${quoted.join(', ')} and ${more} more`;
  return quoted.length > 1
    ? `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}`
    : quoted.join('');
}

/** A stored or parsed value as text for a message or a lookup ('' for nothing). */
export function textOf(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return JSON.stringify(value);
}
