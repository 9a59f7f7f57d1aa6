import type { RowProblem } from './row-problem';

/** One row of a chunk as a hook sees it, after its references are bound. */
export interface HookRow {
  readonly action: 'upsert' | 'delete';
  /** Stored values by field (ids for references), as they will be written. */
  readonly values: Readonly<Record<string, unknown>>;
  /** Stored values before this chunk, or null when the row creates the object. */
  readonly existing: Readonly<Record<string, unknown>> | null;
  /** The object's id once known (existing objects, and after writing). */
  readonly id: string | null;
  readonly keyDisplay: string;
  /** Rejects the row: nothing of it is written, the problem goes to the error report. */
  reject(problem: RowProblem): void;
  readonly rejected: boolean;
}

/** What a hook may do: read and write through the chunk's own transaction. */
export interface HookContext {
  readonly orgId: string;
  readonly rows: readonly HookRow[];
  query<T = Record<string, unknown>>(sql: string, params: readonly unknown[]): Promise<T[]>;
}

/**
 * Behaviour of one type that is not column data (objects.md rules spanning objects). Hooks run
 * inside the chunk's transaction, so what they read and write commits or rolls back with it.
 */
export interface ObjectHooks {
  /** After references are bound and before anything is written; may reject rows. */
  beforeWrite?(context: HookContext): Promise<void>;
  /** After the chunk's rows are written (organization-wide rules such as one default). */
  afterWrite?(context: HookContext): Promise<void>;
}
