import type { Condition } from './condition';
import type { ColumnKind } from './kinds/kind';

/** What a declaration says about one CSV column besides its kind. */
export interface ColumnOptions<V> {
  /** One sentence for templates and `GET /v1/objects`. */
  description: string;
  /** The cell must be filled on every row that is not a DELETE. */
  required?: boolean;
  /** The cell must be filled when this holds (objects.md "if …"). */
  requiredWhen?: Condition;
  /** The cell must be empty unless this holds (NOT_APPLICABLE); its default applies only then. */
  onlyWhen?: Condition;
  /** A boolean column may be TRUE only when this holds (FALSE always may), CONFLICTING_STATE otherwise. */
  trueOnlyWhen?: Condition;
  /** The value an empty cell (or, on create, an absent column) stands for. */
  default?: V;
  /** Set on create only; another value on update is IMMUTABLE_FIELD. */
  immutable?: boolean;
  /** Other header spellings accepted on import (§1.2); exports write the canonical name. */
  aliases?: readonly string[];
  /** Property name; derived from the column name when absent. */
  field?: string;
}

/**
 * A column as written in a declaration. `N` keeps its canonical name as a literal type, so code that
 * names a column of a declaration (hooks) is checked against the declaration by the compiler.
 */
export interface ColumnDefinition<
  V = unknown,
  S = unknown,
  N extends string = string,
> extends ColumnOptions<V> {
  name: N;
  kind: ColumnKind<V, S>;
}

/** Declares one column: its canonical CSV name, its kind and its rules. */
export function column<const N extends string, V, S>(
  name: N,
  kind: ColumnKind<V, S>,
  options: ColumnOptions<V>,
): ColumnDefinition<V, S, N> {
  return { name, kind, ...options };
}

/** A column of a compiled declaration: the definition plus derived names and its position. */
export interface Column<
  V = unknown,
  S = unknown,
  N extends string = string,
> extends ColumnDefinition<V, S, N> {
  field: string;
  /** Its Postgres column on the object table. */
  dbColumn: string;
  /** Position in the declaration (and in chunk cells). */
  index: number;
  isKey: boolean;
}

/** `Service Level Threshold` → `serviceLevelThreshold`, `DN` → `dn`. */
export function fieldName(columnName: string): string {
  const words = columnName
    .replace(/[^A-Za-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .map((w) => w.toLowerCase());
  return words.map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1))).join('');
}

/** `serviceLevelThreshold` → `service_level_threshold`. */
export function snakeCase(field: string): string {
  return field.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}
