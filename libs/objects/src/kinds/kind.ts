import type { Outcome } from '../row-problem';

/** Postgres column types object tables use. */
export type PgType = 'text' | 'integer' | 'boolean' | 'text[]' | 'uuid' | 'uuid[]' | 'jsonb';

/** How a column is described to clients (`GET /v1/objects`). */
export interface KindMeta {
  type: string;
  maxLength?: number;
  values?: readonly string[];
  references?: string;
  format?: string;
}

/**
 * What a column holds and how: reading a cell, writing it back canonically, storing it.
 * `V` is the parsed value, `S` the stored one (they differ only for references, which are read as
 * names and stored as ids). Kinds are pure; anything needing the database lives in `ReferenceSpec`.
 */
export interface ColumnKind<V = unknown, S = V> {
  readonly meta: KindMeta;
  readonly pgType: PgType;
  /** Reads a trimmed, non-empty cell. `column` is the canonical column name, for messages. */
  parse(text: string, column: string): Outcome<V>;
  /** The canonical cell text of a stored value (exports and error files). */
  format(stored: S, names: NameLookup): string;
  /** The normalised form used when the value is part of an object's key. */
  norm(value: V): string;
  /** Converts a value read from Postgres back to the stored form. */
  fromDb(db: unknown): S;
  /** References carried by the value, when the kind has any. */
  readonly reference?: ReferenceSpec<V, S>;
}

/** Resolves a referenced object's id to the name an export writes. */
export type NameLookup = (target: string, id: string, form: 'key' | 'leaf') => string;

/** One name a row uses to point at another object. */
export interface ReferenceNeed {
  /** As written in the cell (for messages). */
  written: string;
  /** Normalised full key of the target (`austin/sales`), or the bare leaf name for unqualified team references. */
  norm: string;
}

/** A referenced object as loaded for a chunk: identity plus its stored values, for predicates. */
export interface TargetRecord {
  id: string;
  keyNorm: string;
  keyDisplay: string;
  /** Stored values by field name. */
  values: Readonly<Record<string, unknown>>;
}

/** How a resolved name is found: one target, none, or several (bare team names). */
export type Resolution =
  | { found: TargetRecord }
  | { missing: true }
  | { ambiguous: readonly TargetRecord[] }
  /** Not stored because the row of the same bundle that would create it was rejected (`place`). */
  | { blocked: { place: string } };

/** Looks up one referenced name among the targets loaded for the chunk. */
export type Resolver = (target: string, need: ReferenceNeed) => Resolution;

/** The view of the other cells of the same row that a reference rule may need. */
export interface RowValues {
  /**
   * The column's current value: parsed, defaulted, and for reference columns declared earlier the
   * bound id (`UNKNOWN` when that binding failed or the value is not known yet).
   */
  get(column: string): unknown;
  /** The cell as the row wrote it (trimmed), or null when the file has no such column; set while binding. */
  written?(column: string): string | null;
}

/** The reference part of a kind: which names a value uses and how it binds to ids. */
export interface ReferenceSpec<V, S> {
  readonly target: string;
  /** Names are looked up inside the object named by this other column of the same row. */
  readonly within?: string;
  /**
   * Other columns of the row the binding depends on (`within` and what target rules read): when one
   * of them changes on update, the reference must be stated again to be checked against it.
   */
  readonly uses: readonly string[];
  /** The names this value uses; `row` gives the other cells (for `within`). */
  needs(value: V, row: RowValues): ReferenceNeed[];
  /** Turns names into the stored form, checking each target's rules. */
  bind(value: V, resolve: Resolver, row: RowValues, column: string): Outcome<S>;
  /** SQL that is true when stored column `column` points at the object with id `id`. */
  containsSql(column: string, id: string): string;
  /**
   * For kinds whose references say something about the object they name (a skill grant's value):
   * SQL of the rows `(id uuid, detail text)` that stored column `column` holds.
   */
  detailsSql?(column: string): string;
}
