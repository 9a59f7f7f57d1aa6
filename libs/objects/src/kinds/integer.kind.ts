import { ErrorCode } from '@bulkops/contracts';
import { ok, problem, quote } from '../row-problem';
import type { ColumnKind } from './kind';

/** A whole number in an inclusive range: decimal digits only, no sign or separators (§1.4). */
export function integer(min: number, max: number, unit = ''): ColumnKind<number> {
  const range = `${min}–${max}${unit ? ` ${unit}` : ''}`;
  return {
    meta: { type: 'integer', format: `${min}..${max}${unit ? ` ${unit}` : ''}` },
    pgType: 'integer',
    parse(text, column) {
      if (!/^[0-9]+$/.test(text)) {
        return problem(
          ErrorCode.InvalidValue,
          column,
          `${quote(text)} is not a whole number; write digits only, ${range}`,
        );
      }
      const value = Number(text);
      return value >= min && value <= max
        ? ok(value)
        : problem(ErrorCode.InvalidValue, column, `${quote(text)} is out of range; use ${range}`);
    },
    format: (stored) => String(stored),
    norm: (value) => String(value),
    fromDb: (db) => db as number,
  };
}
