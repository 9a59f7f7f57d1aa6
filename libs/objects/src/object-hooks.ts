import type { Column } from './column';
import type { RowProblem } from './row-problem';

/** What hook types need of a declaration: its slug and its columns (`ObjectDeclaration` has both). */
export interface Declared {
  readonly type: string;
  readonly columns: readonly Column[];
}

/** The canonical column names of a declaration (`'Name' | 'Description' | 'Type'` for a work type). */
export type ColumnName<D extends Declared> = D['columns'][number]['name'];

/** What a column stores (ids for references), by its canonical name. */
export type StoredValue<D extends Declared, N extends ColumnName<D>> = ReturnType<
  Extract<D['columns'][number], { name: N }>['kind']['fromDb']
>;

/** Stored values of one object, read by column: a checked name gives a typed value (null when empty). */
export interface StoredValues<D extends Declared> {
  get<N extends ColumnName<D>>(column: N): StoredValue<D, N> | null;
}

/** A stored object of type `D`, as a hook reads it. */
export interface StoredObject<D extends Declared> extends StoredValues<D> {
  readonly id: string;
  readonly keyDisplay: string;
}

/** One row of a chunk as a hook sees it, after its references are bound: `get` reads what it writes. */
export interface HookRow<D extends Declared> extends StoredValues<D> {
  readonly action: 'upsert' | 'delete';
  /** Stored values before this chunk, or null when the row creates the object. */
  readonly existing: StoredValues<D> | null;
  /** The object's id once known (existing objects, and after writing). */
  readonly id: string | null;
  readonly keyDisplay: string;
  /** Rejects the row: nothing of it is written, the problem goes to the error report. */
  reject(problem: RowProblem): void;
  readonly rejected: boolean;
}

/** A row that updates a stored object: its id and stored values are known. */
export interface HookUpdate<D extends Declared> extends HookRow<D> {
  readonly existing: StoredValues<D>;
  readonly id: string;
}

/** The objects that reference one object: the first five keys in key order, and how many there are. */
export interface Referrers {
  readonly keys: readonly string[];
  readonly count: number;
}

/** Which objects of type `R` count as referrers of an object of the hook's type. */
export interface ReferrerSearch<R extends Declared> {
  /** Reference columns of `R` that name the hook's type; a referrer counts once whichever names it. */
  readonly through: readonly ColumnName<R>[];
  /** Only referrers whose `column` differs from the value `from` holds for the object they reference. */
  readonly differing?: {
    readonly column: ColumnName<R>;
    readonly from: ReadonlyMap<string, unknown>;
  };
}

/**
 * What a hook may read and write, in the model's own terms and through the chunk's transaction:
 * hooks name types and columns as their declarations do (checked by the compiler), never tables or
 * SQL. Type arguments name the declaration a call speaks of, e.g.
 * `context.records<WorkType>('work-type', ids)` with `type WorkType = typeof workType`; a call
 * without one does not compile. Every read is one query for the whole chunk.
 */
export interface HookContext<D extends Declared = Declared> {
  readonly rows: readonly HookRow<D>[];
  /** The rows that create or update an object and are not rejected (so far). */
  upserts(): HookRow<D>[];
  /** The rows that update a stored object and are not rejected (so far). */
  updates(): HookUpdate<D>[];
  /** Objects of type `R` by id, as stored; ids of no object of the organization are absent. */
  records<R extends Declared = never>(
    type: R['type'],
    ids: Iterable<string>,
  ): Promise<ReadonlyMap<string, StoredObject<R>>>;
  /** The hook type's objects whose `column` holds `value` (a small set, such as the defaults). */
  recordsWhere<N extends ColumnName<D>>(
    column: N,
    value: StoredValue<D, N>,
  ): Promise<StoredObject<D>[]>;
  /** Sets `column` of the hook type's objects `ids` to `value`. */
  update<N extends ColumnName<D>>(
    ids: readonly string[],
    column: N,
    value: StoredValue<D, N>,
  ): Promise<void>;
  /** For each of the hook type's objects `ids`, the objects of type `R` that reference it; unreferenced ids are absent. */
  referrers<R extends Declared = never>(
    type: R['type'],
    ids: readonly string[],
    search: ReferrerSearch<R>,
  ): Promise<ReadonlyMap<string, Referrers>>;
  /**
   * Like `referrers`, further grouped by what each reference says about the object it names (the
   * value a skill grant grants): id → detail → referrers. Only for columns whose kind has details.
   */
  referrersByDetail<R extends Declared = never>(
    type: R['type'],
    ids: readonly string[],
    search: ReferrerSearch<R>,
  ): Promise<ReadonlyMap<string, ReadonlyMap<string, Referrers>>>;
  /**
   * Rejects each of `rows` whose object objects of type `R` still reference (`search`), with the
   * problem `problem` states from those referrers; one query for all rows.
   */
  rejectWhileReferenced<R extends Declared = never>(
    type: R['type'],
    rows: readonly HookUpdate<D>[],
    search: ReferrerSearch<R>,
    problem: (row: HookUpdate<D>, referrers: Referrers) => RowProblem,
  ): Promise<void>;
  /** Holds the organization's lock of this name (for the hook's type) until the transaction ends. */
  lock(name: string): Promise<void>;
}

/**
 * Behaviour of one type that is not column data (objects.md rules spanning objects). Hooks run
 * inside the chunk's transaction, so what they read and write commits or rolls back with it. `D` is
 * the declaration the hooks belong to (see `ObjectDeclaration.withHooks`).
 */
export interface ObjectHooks<D extends Declared = Declared> {
  /** After references are bound and before anything is written; may reject rows. */
  beforeWrite?(context: HookContext<D>): Promise<void>;
  /** After the chunk's rows are written (organization-wide rules such as one default). */
  afterWrite?(context: HookContext<D>): Promise<void>;
}
