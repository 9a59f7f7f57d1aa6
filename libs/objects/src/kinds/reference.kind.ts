import { ErrorCode } from '@bulkops/contracts';
import { ok, problem, quote, type Outcome } from '../row-problem';
import type { ColumnKind, ReferenceNeed, Resolver, RowValues, TargetRecord } from './kind';
import { compareText, splitList, type ListRule } from './list.kind';

/** A rule a referenced object must meet; returns what is wrong (a clause) or null. */
export type TargetRule = (target: TargetRecord, row: RowValues) => string | null;

/** Options of a reference column. */
export interface ReferenceRule {
  /**
   * Names are looked up inside the object named by this other column of the row, e.g. a user's
   * `Teams` are bare team names of the user's own `Site` (objects.md §1.5).
   */
  within?: string;
  /** Rules the referenced object must meet (an entry point mapped by a number must be TELEPHONY). */
  accept?: TargetRule;
}

/** `skill-profile` → `skill profile`, for sentences. */
export function targetNoun(target: string): string {
  return target.replace(/-/g, ' ');
}

function needOf(written: string, rule: ReferenceRule, row: RowValues): ReferenceNeed {
  if (rule.within) {
    const parent = row.get(rule.within);
    return { written, norm: `${String(parent ?? '').toLowerCase()}/${written.toLowerCase()}` };
  }
  return { written, norm: written.toLowerCase() };
}

/** Binds one written name: the target's id, or a row problem naming column and value. */
export function bindOne(
  target: string,
  written: string,
  rule: ReferenceRule,
  resolve: Resolver,
  row: RowValues,
  column: string,
): Outcome<TargetRecord> {
  const noun = targetNoun(target);
  const resolution = resolve(target, needOf(written, rule, row));
  if ('missing' in resolution) {
    const where = rule.within ? ` in ${targetNoun(rule.within.toLowerCase())} ${quote(String(row.get(rule.within) ?? ''))}` : '';
    return problem(ErrorCode.ReferenceNotFound, column, `no ${noun} named ${quote(written)}${where}; create it first or fix the name`);
  }
  if ('ambiguous' in resolution) {
    const candidates = resolution.ambiguous.map((t) => t.keyDisplay).sort(compareText);
    return problem(
      ErrorCode.AmbiguousReference,
      column,
      `${candidates.length} ${noun}s are named ${quote(written)} (${candidates.join(', ')}); write it as ${quote(candidates[0]!)}`,
    );
  }
  const complaint = rule.accept?.(resolution.found, row) ?? null;
  return complaint === null
    ? ok(resolution.found)
    : problem(ErrorCode.InvalidReference, column, `${noun} ${quote(resolution.found.keyDisplay)} ${complaint}`);
}

function checkWritten(text: string, column: string): Outcome<string> {
  if (text.includes('|')) {
    return problem(ErrorCode.InvalidValue, column, `${quote(text)} names more than one object; write one name`);
  }
  return text.length > 161
    ? problem(ErrorCode.InvalidValue, column, `${quote(text)} is too long for a name`)
    : ok(text);
}

/** A reference to one object by its key (stored as the object's id, with a foreign key). */
export function reference(target: string, rule: ReferenceRule = {}): ColumnKind<string, string> {
  return {
    meta: { type: 'reference', references: target },
    pgType: 'uuid',
    parse: checkWritten,
    format: (id, names) => names(target, id, rule.within ? 'leaf' : 'key'),
    norm: (value) => value.toLowerCase(),
    fromDb: (db) => db as string,
    reference: {
      target,
      within: rule.within,
      needs: (value, row) => [needOf(value, rule, row)],
      bind(value, resolve, row, column) {
        const bound = bindOne(target, value, rule, resolve, row, column);
        return bound.ok ? ok(bound.value.id) : bound;
      },
      containsSql: (column, id) => `${column} = ${id}`,
    },
  };
}

/**
 * A '|'-separated list of references (a user's `Teams`, a profile's `Queues`), stored as a uuid[]
 * ordered by the targets' keys, so equal lists compare equal in SQL.
 */
export function referenceList(
  target: string,
  rule: ReferenceRule & ListRule = {},
): ColumnKind<string[], string[]> {
  return {
    meta: { type: 'list', references: target, format: `${targetNoun(target)} names separated by '|'` },
    pgType: 'uuid[]',
    parse(text, column) {
      const split = splitList(text, column, (item) => item.toLowerCase(), rule);
      if (!split.ok) return split;
      for (const item of split.value) {
        const checked = checkWritten(item, column);
        if (!checked.ok) return checked;
      }
      return split;
    },
    format: (ids, names) =>
      ids
        .map((id) => names(target, id, rule.within ? 'leaf' : 'key'))
        .sort(compareText)
        .join('|'),
    norm: (value) => value.map((v) => v.toLowerCase()).join('|'),
    fromDb: (db) => db as string[],
    reference: {
      target,
      within: rule.within,
      needs: (value, row) => value.map((written) => needOf(written, rule, row)),
      bind(value, resolve, row, column) {
        const found: TargetRecord[] = [];
        for (const written of value) {
          const bound = bindOne(target, written, rule, resolve, row, column);
          if (!bound.ok) return bound;
          found.push(bound.value);
        }
        const ids = found.sort((a, b) => compareText(a.keyNorm, b.keyNorm)).map((t) => t.id);
        if (new Set(ids).size !== ids.length) {
          return problem(ErrorCode.InvalidList, column, `names the same ${targetNoun(target)} more than once; list it once`);
        }
        return ok(ids);
      },
      containsSql: (column, id) => `${column} @> ARRAY[${id}]::uuid[]`,
    },
  };
}
