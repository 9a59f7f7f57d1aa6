import { ErrorCode } from '@bulkops/contracts';
import { UNKNOWN } from '../condition';
import { ok, problem, quote, textOf, type Outcome } from '../row-problem';
import type { ColumnKind, ReferenceNeed, Resolver, RowValues, TargetRecord } from './kind';
import { compareText, sortList, splitList, type ListRule } from './list.kind';

/**
 * A rule a referenced object must meet; returns what is wrong (a clause following the target's
 * name) or null. `row` gives the other cells; reference columns declared earlier are bound to ids.
 */
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
  /** Other columns `accept` reads, so that changing one of them re-checks the reference. */
  uses?: readonly string[];
}

// Slug words that are acronyms, so messages say "outdial ANI" and "DN mapping".
const ACRONYMS = new Set(['ani', 'dn']);

/** `skill-profile` → `skill profile`, `outdial-ani` → `outdial ANI`, for sentences. */
export function targetNoun(target: string): string {
  return target
    .split('-')
    .map((word) => (ACRONYMS.has(word) ? word.toUpperCase() : word))
    .join(' ');
}

/** The cell of another column as the row wrote it, falling back to its value. */
function writtenOf(row: RowValues, column: string): string {
  const written = row.written?.(column);
  if (written !== undefined && written !== null) return written;
  const value = row.get(column);
  return value === UNKNOWN ? '' : textOf(value);
}

function needOf(written: string, rule: ReferenceRule, row: RowValues): ReferenceNeed {
  if (rule.within) {
    return {
      written,
      norm: `${writtenOf(row, rule.within).toLowerCase()}/${written.toLowerCase()}`,
    };
  }
  return { written, norm: written.toLowerCase() };
}

function usesOf(rule: ReferenceRule): string[] {
  return [...(rule.within ? [rule.within] : []), ...(rule.uses ?? [])];
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
  const resolution = resolve(target, needOf(written, rule, row));
  if ('found' in resolution && !rule.accept) return ok(resolution.found);
  const complaint = 'found' in resolution ? rule.accept!(resolution.found, row) : null;
  if ('found' in resolution && complaint === null) return ok(resolution.found);
  // Only rows that go wrong pay for building a message.
  const noun = targetNoun(target);
  if ('missing' in resolution) {
    const where = rule.within
      ? ` in ${targetNoun(rule.within.toLowerCase())} ${quote(writtenOf(row, rule.within))}`
      : '';
    return problem(
      ErrorCode.ReferenceNotFound,
      column,
      `no ${noun} named ${quote(written)}${where}; create it first or fix the name`,
    );
  }
  if ('blocked' in resolution) {
    const label = noun.charAt(0).toUpperCase() + noun.slice(1);
    return problem(
      ErrorCode.ReferenceBlocked,
      column,
      `${label} ${quote(written)} was not created: ${resolution.blocked.place} was rejected; fix that row and upload both again`,
    );
  }
  if ('ambiguous' in resolution) {
    const candidates = resolution.ambiguous.map((t) => t.keyDisplay).sort(compareText);
    return problem(
      ErrorCode.AmbiguousReference,
      column,
      `${candidates.length} ${noun}s are named ${quote(written)} (${candidates.join(', ')}); write it as ${quote(candidates[0])}`,
    );
  }
  return problem(
    ErrorCode.InvalidReference,
    column,
    `${noun} ${quote(resolution.found.keyDisplay)} ${complaint}`,
  );
}

/**
 * A target rule for objects that may be limited to a parent (an address book or agent profile with
 * a `Parent Site`): the target's `field` must be empty or point at the same object as the row's
 * `column` (objects.md §13, §14). `noun` names the parent in the message.
 */
export function emptyOrSameAs(
  field: string,
  column: string,
  noun: string,
): Required<Pick<ReferenceRule, 'accept' | 'uses'>> {
  return {
    uses: [column],
    accept(target, row) {
      const limitedTo = target.values[field] ?? null;
      const mine = row.get(column);
      if (limitedTo === null || mine === UNKNOWN || limitedTo === mine) return null;
      if (mine === null || mine === undefined) {
        return `is limited to one ${noun}, but ${column} is empty; pick one that is not limited to a ${noun}, or set ${column}`;
      }
      const written = row.written?.(column) ?? null;
      const mineText = written ? `${column} ${quote(written)}` : `the stored ${column}`;
      const same = written ? `${noun} ${quote(written)}` : `the same ${noun}`;
      return `is limited to another ${noun} than ${mineText}; pick one of ${same} or one not limited to a ${noun}`;
    },
  };
}

function checkWritten(text: string, column: string): Outcome<string> {
  if (text.includes('|')) {
    return problem(
      ErrorCode.InvalidValue,
      column,
      `${quote(text)} names more than one object; write one name`,
    );
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
      uses: usesOf(rule),
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
    meta: {
      type: 'list',
      references: target,
      format: `${targetNoun(target)} names separated by '|'`,
    },
    pgType: 'uuid[]',
    parse(text, column) {
      const split = splitList(text, column, (item) => item.toLowerCase(), rule);
      if (!split.ok) return split;
      for (const item of split.value) {
        const checked = checkWritten(item, column);
        if (!checked.ok) return checked;
        if (rule.within && item.includes('/')) {
          return problem(
            ErrorCode.InvalidValue,
            column,
            `${quote(item)} is not a bare name; ${targetNoun(target)}s are looked up in the row's ${rule.within}, so write only the name after the '/'`,
          );
        }
      }
      return split;
    },
    format: (ids, names) =>
      sortList(
        ids.map((id) => names(target, id, rule.within ? 'leaf' : 'key')),
        compareText,
      ).join('|'),
    norm: (value) => value.map((v) => v.toLowerCase()).join('|'),
    fromDb: (db) => db as string[],
    reference: {
      target,
      within: rule.within,
      uses: usesOf(rule),
      needs: (value, row) => value.map((written) => needOf(written, rule, row)),
      bind(value, resolve, row, column) {
        const found: TargetRecord[] = [];
        const writtenAs = new Map<string, string>();
        for (const written of value) {
          const bound = bindOne(target, written, rule, resolve, row, column);
          if (!bound.ok) return bound;
          const earlier = writtenAs.get(bound.value.id);
          if (earlier !== undefined) {
            // Two spellings of one object, e.g. a bare team name and its Site/Team form.
            return problem(
              ErrorCode.InvalidList,
              column,
              `${quote(earlier)} and ${quote(written)} are the same ${targetNoun(target)} ${quote(bound.value.keyDisplay)}; list it once`,
            );
          }
          writtenAs.set(bound.value.id, written);
          found.push(bound.value);
        }
        return ok(sortList(found, (a, b) => compareText(a.keyNorm, b.keyNorm)).map((t) => t.id));
      },
      containsSql: (column, id) => `${column} @> ARRAY[${id}]::uuid[]`,
    },
  };
}
