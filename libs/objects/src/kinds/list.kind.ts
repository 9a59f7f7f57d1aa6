import { ErrorCode } from '@bulkops/contracts';
import { ok, problem, quote, type Outcome } from '../row-problem';
import type { ColumnKind } from './kind';

/** How many items a list may hold, and whether exports keep the written order. */
export interface ListRule {
  min?: number;
  max?: number;
  /** `sorted`: exports sort case-insensitively (§1.5); `kept`: the stored order is the written one. */
  order?: 'sorted' | 'kept';
}

/**
 * Splits a list cell on '|' and trims the items. Empty and repeated items are INVALID_LIST (§1.5);
 * `norm` decides what counts as repeated.
 */
export function splitList(
  text: string,
  column: string,
  norm: (item: string) => string,
  rule: ListRule,
): Outcome<string[]> {
  const items = text.split('|').map((item) => item.trim());
  if (items.some((item) => item === '')) {
    return problem(
      ErrorCode.InvalidList,
      column,
      `${quote(text)} has an empty item; remove the extra '|'`,
    );
  }
  const seen = new Set<string>();
  for (const item of items) {
    const key = norm(item);
    if (seen.has(key)) {
      return problem(
        ErrorCode.InvalidList,
        column,
        `${quote(text)} lists ${quote(item)} more than once; list each item once`,
      );
    }
    seen.add(key);
  }
  if (rule.min !== undefined && items.length < rule.min) {
    return problem(
      ErrorCode.InvalidList,
      column,
      `lists ${items.length} items; at least ${rule.min} are needed`,
    );
  }
  if (rule.max !== undefined && items.length > rule.max) {
    return problem(
      ErrorCode.InvalidList,
      column,
      `lists ${items.length} items; the limit is ${rule.max}`,
    );
  }
  return ok(items);
}

/** Case-insensitive ordering used by every sorted list and by exports. */
export function compareText(a: string, b: string): number {
  const la = a.toLowerCase();
  const lb = b.toLowerCase();
  return la < lb ? -1 : la > lb ? 1 : a < b ? -1 : a > b ? 1 : 0;
}

/** Lists longer than this go to Array.prototype.sort. */
const SHORT_LIST = 16;

/**
 * Sorts `items` in place, stably, like Array.prototype.sort; a row's list (a user's teams, a
 * profile's queues) is a handful of items, which an insertion sort orders without allocating,
 * where Array.prototype.sort set up work arrays for each call: a tenth of what the worker allocated
 * for an import of users.
 */
export function sortList<T>(items: T[], compare: (a: T, b: T) => number): T[] {
  if (items.length > SHORT_LIST) return items.sort(compare);
  for (let i = 1; i < items.length; i += 1) {
    const item = items[i];
    let j = i - 1;
    for (; j >= 0 && compare(items[j], item) > 0; j -= 1) items[j + 1] = items[j];
    items[j + 1] = item;
  }
  return items;
}

/** A list of plain items of one kind, e.g. the values of an ENUM skill. Stored as text[]. */
export function list(item: ColumnKind<string>, rule: ListRule = {}): ColumnKind<string[]> {
  const order = rule.order ?? 'sorted';
  return {
    meta: {
      type: 'list',
      format: `items separated by '|'${item.meta.format ? `, each ${item.meta.format}` : ''}`,
    },
    pgType: 'text[]',
    parse(text, column) {
      const split = splitList(text, column, (value) => item.norm(value), rule);
      if (!split.ok) return split;
      const values: string[] = [];
      for (const raw of split.value) {
        const parsed = item.parse(raw, column);
        if (!parsed.ok) return parsed;
        values.push(parsed.value);
      }
      return ok(order === 'sorted' ? sortList(values, compareText) : values);
    },
    format: (stored) => stored.join('|'),
    norm: (value) => value.map((v) => v.toLowerCase()).join('|'),
    fromDb: (db) => db as string[],
  };
}

/** One `key:value` item of a pair list. */
export interface Pair {
  key: string;
  value: string;
}

/** Re-words a problem of one part of an item: `Entries: entry name 'x' …` instead of `Entries: 'x' …`. */
function partProblem(
  outcome: { ok: false; problem: { code: ErrorCode; message: string } },
  column: string,
  label: string,
) {
  const prefix = `${column}: `;
  const message = outcome.problem.message.startsWith(prefix)
    ? outcome.problem.message.slice(prefix.length)
    : outcome.problem.message;
  return problem(outcome.problem.code, column, `${label} ${message}`);
}

/**
 * A list of `key:value` pairs split on the first ':' (a SIP URI survives), e.g. address-book
 * entries. Keys are unique case-insensitively; the written order is kept, because it means
 * something (the first ANI entry is the default). Stored as jsonb `[{key, value}]`.
 */
export function pairs(
  keyKind: ColumnKind<string>,
  valueKind: ColumnKind<string>,
  rule: Omit<ListRule, 'order'> & { keyLabel: string; valueLabel: string },
): ColumnKind<Pair[]> {
  const keyWord = rule.keyLabel.toLowerCase();
  const valueWord = rule.valueLabel.toLowerCase();
  return {
    meta: {
      type: 'list',
      format: `${rule.keyLabel}:${rule.valueLabel} items separated by '|', order kept`,
    },
    pgType: 'jsonb',
    parse(text, column) {
      const split = splitList(text, column, (item) => item.toLowerCase(), rule);
      if (!split.ok) return split;
      const values: Pair[] = [];
      const seen = new Set<string>();
      for (const raw of split.value) {
        const colon = raw.indexOf(':');
        if (colon < 0) {
          return problem(
            ErrorCode.InvalidList,
            column,
            `item ${quote(raw)} has no ':'; write each item as ${rule.keyLabel}:${rule.valueLabel}`,
          );
        }
        const key = keyKind.parse(raw.slice(0, colon).trim(), column);
        if (!key.ok) return partProblem(key, column, keyWord);
        const value = valueKind.parse(raw.slice(colon + 1).trim(), column);
        if (!value.ok) return partProblem(value, column, `in ${quote(raw)}, ${valueWord}`);
        const norm = keyKind.norm(key.value);
        if (seen.has(norm)) {
          return problem(
            ErrorCode.InvalidList,
            column,
            `${keyWord} ${quote(key.value)} is used more than once; give each item its own ${keyWord}`,
          );
        }
        seen.add(norm);
        values.push({ key: key.value, value: value.value });
      }
      return ok(values);
    },
    format: (stored) => stored.map((p) => `${p.key}:${p.value}`).join('|'),
    norm: (value) => value.map((p) => `${p.key}:${p.value}`.toLowerCase()).join('|'),
    fromDb: (db) => db as Pair[],
  };
}
