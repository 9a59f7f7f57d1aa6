import { ErrorCode } from '@bulkops/contracts';
import { ok, problem, quote } from '../row-problem';
import type { ColumnKind } from './kind';

/** Spelling that enumerations ignore: case, and space versus underscore (objects.md §1.4). */
export function enumNorm(text: string): string {
  return text
    .trim()
    .toUpperCase()
    .replace(/[\s_]+/g, '_');
}

/**
 * One of a fixed set of upper-case values. `aliases` maps accepted other spellings to a value
 * (`MESSAGEBIRD` → `SMS`). Exports write the canonical value.
 */
export function enumeration(
  values: readonly string[],
  aliases: Readonly<Record<string, string>> = {},
): ColumnKind<string> {
  const lookup = new Map<string, string>(values.map((v) => [enumNorm(v), v]));
  for (const [alias, value] of Object.entries(aliases)) {
    lookup.set(enumNorm(alias), value);
  }
  const listed = values.join(', ');
  return {
    meta: { type: 'enum', values },
    pgType: 'text',
    parse(text, column) {
      const value = lookup.get(enumNorm(text));
      return value
        ? ok(value)
        : problem(ErrorCode.InvalidValue, column, `${quote(text)} is not one of ${listed}`);
    },
    format: (stored) => stored,
    norm: (value) => value.toLowerCase(),
    fromDb: (db) => db as string,
  };
}
