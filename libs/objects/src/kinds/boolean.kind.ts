import { ErrorCode } from '@bulkops/contracts';
import { ok, problem, quote, type Outcome } from '../row-problem';
import type { ColumnKind } from './kind';

const TRUE_WORDS = new Set(['TRUE', 'YES', 'ON']);
const FALSE_WORDS = new Set(['FALSE', 'NO', 'OFF']);

/** Reads TRUE/FALSE, YES/NO, ON/OFF in any case (objects.md §1.4). */
export function parseBoolean(text: string, column: string): Outcome<boolean> {
  const word = text.trim().toUpperCase();
  if (TRUE_WORDS.has(word)) return ok(true);
  if (FALSE_WORDS.has(word)) return ok(false);
  return problem(
    ErrorCode.InvalidValue,
    column,
    `${quote(text)} is not a boolean; write TRUE or FALSE`,
  );
}

/** A boolean; exports write TRUE or FALSE. */
export const boolean: ColumnKind<boolean> = {
  meta: { type: 'boolean', values: ['TRUE', 'FALSE'] },
  pgType: 'boolean',
  parse: parseBoolean,
  format: (stored) => (stored ? 'TRUE' : 'FALSE'),
  norm: (value) => String(value),
  fromDb: (db) => db as boolean,
};
