import { ErrorCode } from '@bulkops/contracts';
import { UNKNOWN } from './condition';
import type { Column } from './column';
import type { ObjectDeclaration } from './define-object';
import type { RowValues } from './kinds/kind';
import { hasUnstorableCell, UNSTORABLE_CHARACTER, type RowProblem } from './row-problem';

/** What a row asks for (objects.md §1.3). */
export type RowAction = 'upsert' | 'delete';

/**
 * A row after its own field rules, before any database lookup. `values` follow declaration order:
 * `undefined` for a column the file does not have, `null` for an empty cell, otherwise the parsed
 * value (defaults applied to empty cells).
 */
export interface CheckedRow {
  action: RowAction;
  values: unknown[];
  /** Normalised key (`austin/sales`), or null when a key cell is missing or invalid. */
  keyNorm: string | null;
  problems: RowProblem[];
}

/** Where absent columns take their values from when a row is settled. */
export type SettleBase =
  { kind: 'unknown' } | { kind: 'create' } | { kind: 'existing'; values: readonly unknown[] };

/** Returns the cell's text with surrounding spaces trimmed. */
function trimmed(cell: string | null): string | null {
  return cell === null ? null : cell.trim();
}

/**
 * Cells holding characters Postgres cannot store (any cell, Action included, read or not): each is
 * a row problem naming the column and where the character is, and its column counts as invalid.
 */
function unstorableCells(
  declaration: ObjectDeclaration,
  cells: readonly (string | null)[],
): { problems: RowProblem[]; indexes: Set<number> } {
  const problems: RowProblem[] = [];
  const indexes = new Set<number>();
  const columnCount = declaration.columns.length;
  for (let index = 0; index <= columnCount; index += 1) {
    const cell = cells[index];
    const at = cell ? cell.search(UNSTORABLE_CHARACTER) : -1;
    if (at < 0) continue;
    const name = index === columnCount ? 'Action' : declaration.columns[index].name;
    const what = cell![at] === '\u0000' ? 'a NUL character' : 'half of a UTF-16 surrogate pair';
    problems.push({
      code: ErrorCode.InvalidValue,
      column: name,
      message: `${name}: the cell holds ${what} at position ${at + 1}, which cannot be stored; remove it (NUL bytes usually mean the file was saved in another encoding than UTF-8)`,
    });
    indexes.add(index);
  }
  return { problems, indexes };
}

/**
 * Reads one row: cells Postgres could not store, action, key, each cell by its kind, then the row's
 * own conditional rules with absent columns unknown. Pure and cheap; ingest and worker run the same
 * function.
 */
export function checkRow(
  declaration: ObjectDeclaration,
  cells: readonly (string | null)[],
): CheckedRow {
  const columnCount = declaration.columns.length;
  const unstorable = hasUnstorableCell(cells)
    ? unstorableCells(declaration, cells)
    : NOTHING_UNSTORABLE;
  const problems: RowProblem[] = [...unstorable.problems];
  const actionCell = unstorable.indexes.has(columnCount)
    ? ''
    : (trimmed(cells[columnCount] ?? null) ?? '');
  let action: RowAction = 'upsert';
  if (actionCell !== '') {
    if (actionCell.toUpperCase() === 'DELETE') {
      action = 'delete';
    } else {
      problems.push({
        code: ErrorCode.InvalidAction,
        column: 'Action',
        message: `Action: '${actionCell}' is not an action; leave it empty to create or update, or write DELETE`,
      });
    }
  }
  const values: unknown[] = new Array(columnCount).fill(undefined);
  // Columns whose cell is invalid; made only for a row that has one (most have none).
  let invalid: Set<number> | null =
    unstorable.indexes.size > 0 ? new Set(unstorable.indexes) : null;
  const readColumns = action === 'delete' ? declaration.keyColumns : declaration.columns;
  for (const column of readColumns) {
    if (invalid?.has(column.index)) continue;
    const text = trimmed(cells[column.index] ?? null);
    if (text === null) continue;
    if (text === '') {
      values[column.index] = null;
      continue;
    }
    const parsed = column.kind.parse(text, column.name);
    if (parsed.ok) {
      values[column.index] = parsed.value;
    } else {
      problems.push(parsed.problem);
      (invalid ??= new Set()).add(column.index);
    }
  }
  let keyNorm: string | null = null;
  const keyParts: string[] = [];
  for (const column of declaration.keyColumns) {
    const value = values[column.index];
    if (value === null || value === undefined) {
      if (!invalid?.has(column.index)) problems.push(requiredProblem(column));
    } else {
      keyParts.push(column.kind.norm(value));
    }
  }
  if (keyParts.length === declaration.keyColumns.length) keyNorm = keyParts.join('/');
  if (action === 'delete' || problems.length > 0) {
    return { action, values, keyNorm, problems };
  }
  const settled = settleRow(declaration, values, { kind: 'unknown' });
  return { action, values: settled.values, keyNorm, problems: settled.problems };
}

/**
 * The row's normalised key exactly as checkRow reads it (null where a key cell is missing, invalid
 * or unstorable), without reading the rest of the row: what ingest needs of a row to find duplicate
 * keys across the job. The row's other rules are checked where it is applied (the worker checks
 * every row anyway), which spares ingest, on the upload's critical path, about nine tenths of its
 * row checking (100,000 users: 19–37 ms against 222–337 ms of CPU).
 */
export function rowKey(
  declaration: ObjectDeclaration,
  cells: readonly (string | null)[],
): string | null {
  const parts: string[] = [];
  for (const column of declaration.keyColumns) {
    const text = trimmed(cells[column.index] ?? null);
    if (text === null || text === '' || UNSTORABLE_CHARACTER.test(text)) return null;
    const parsed = column.kind.parse(text, column.name);
    if (!parsed.ok || parsed.value === null || parsed.value === undefined) return null;
    parts.push(column.kind.norm(parsed.value));
  }
  return parts.join('/');
}

const NOTHING_UNSTORABLE: { problems: RowProblem[]; indexes: ReadonlySet<number> } = {
  problems: [],
  indexes: new Set(),
};

function requiredProblem(column: Column, reason = ''): RowProblem {
  return {
    code: ErrorCode.RequiredValue,
    column: column.name,
    message: `${column.name}: a value is required${reason}; fill in the cell`,
  };
}

/**
 * Applies defaults and the conditional rules (required when, allowed only when) to a row's values.
 * Absent columns come from `base`: unknown (ingest), the documented default (a new object), or the
 * stored values (an update). Returns the settled values and every problem found.
 */
export function settleRow(
  declaration: ObjectDeclaration,
  input: readonly unknown[],
  base: SettleBase,
): { values: unknown[]; problems: RowProblem[] } {
  const columns = declaration.columns.length;
  const shared = !sharedStateInUse;
  if (shared && sharedState.length < columns) sharedState = new Uint8Array(columns);
  const state = shared ? sharedState.fill(RAW, 0, columns) : new Uint8Array(columns);
  sharedStateInUse = true;
  try {
    const settler = new RowSettler(declaration, input, base, state);
    // In declaration order: clearing a value that no longer applies changes what later rules see.
    const problems: RowProblem[] = [];
    for (const column of declaration.columns) settler.addProblemsOf(column, problems);
    return { values: settler.values, problems };
  } finally {
    if (shared) sharedStateInUse = false;
  }
}

// A column's settling state (a byte per column: this runs for every row, twice in the worker).
const RAW = 0;
const BUSY = 1;
const DONE = 2;

/**
 * The settling state of rows, reused from row to row: settling is synchronous, so one row is
 * settled at a time (a row settled while another is, which no rule does today, gets its own). With
 * a typed array and a view object per row, settling allocated 258 MB while the worker applied
 * 200,000 users (sampled by V8's heap profiler); reused, 116 MB.
 */
let sharedState = new Uint8Array(64);
let sharedStateInUse = false;

/**
 * One row being settled. A column's value is settled on first use (its conditions may read other
 * columns, settled in turn), so conditions see defaults and stored values, never raw absences.
 */
class RowSettler implements RowValues {
  readonly values: unknown[];
  /** Required columns a new object lacks because the file has no such column (made when one is). */
  private missingColumn: Set<number> | null = null;

  constructor(
    private readonly declaration: ObjectDeclaration,
    private readonly input: readonly unknown[],
    private readonly base: SettleBase,
    /** Each column's settling state (RAW, BUSY, DONE), all RAW to begin with. */
    private readonly state: Uint8Array,
  ) {
    this.values = input.slice();
  }

  /** The row as conditions read it: settled values. */
  get(name: string): unknown {
    return this.effective(this.declaration.column(name));
  }

  /**
   * Adds every problem of one column in the settled row to `problems` (and clears a value that no
   * longer applies).
   */
  addProblemsOf(column: Column, problems: RowProblem[]): void {
    const value = this.effective(column);
    if (value === UNKNOWN) {
      if (column.requiredWhen?.test(this) === true) problems.push(unknownButRequired(column));
      return;
    }
    const applicable = this.applicable(column);
    const filled = value !== null;
    if (applicable === false && filled) {
      const given = this.input[column.index];
      if (given !== undefined && given !== null) problems.push(notApplicable(column));
      // A stored value or a default that no longer applies: cleared, not an error.
      else this.values[column.index] = null;
      return;
    }
    if (value === true && column.trueOnlyWhen?.test(this) === false) {
      problems.push(trueNotAllowed(column));
      return;
    }
    if (!filled && applicable !== false) {
      const missing = this.missing(column);
      if (missing) problems.push(missing);
    }
  }

  /** The column's settled value; UNKNOWN when the row cannot know it (an absent column in ingest). */
  private effective(column: Column): unknown {
    const i = column.index;
    if (this.state[i] === BUSY) {
      throw new Error(
        `${this.declaration.type}: conditions of '${column.name}' depend on themselves`,
      );
    }
    if (this.state[i] === RAW) {
      this.state[i] = BUSY;
      this.fill(column);
      this.state[i] = DONE;
    }
    return this.values[i] === undefined ? UNKNOWN : this.values[i];
  }

  /** An absent column from the base, an empty cell from the default where it applies. */
  private fill(column: Column): void {
    const i = column.index;
    if (this.input[i] === undefined) {
      if (this.base.kind === 'existing') this.values[i] = this.base.values[i] ?? null;
      else if (this.base.kind === 'create') {
        this.values[i] = this.applicable(column) === true ? (column.default ?? null) : null;
        if (this.values[i] === null && column.required) {
          this.missingColumn ??= new Set();
          this.missingColumn.add(i);
        }
      }
    } else if (
      this.values[i] === null &&
      column.default !== undefined &&
      this.applicable(column) === true
    ) {
      this.values[i] = column.default;
    }
  }

  private applicable(column: Column): boolean | undefined {
    return column.onlyWhen ? column.onlyWhen.test(this) : true;
  }

  /** The problem of an empty value, if the column needs one here. */
  private missing(column: Column): RowProblem | null {
    if (this.missingColumn?.has(column.index)) return requiredToCreate(column);
    if (column.required) return requiredProblem(column);
    if (column.requiredWhen?.test(this) === true) {
      return requiredProblem(column, ` when ${column.requiredWhen.describe}`);
    }
    return null;
  }
}

function unknownButRequired(column: Column): RowProblem {
  return {
    code: ErrorCode.RequiredValue,
    column: column.name,
    message: `${column.name}: a value is required when ${column.requiredWhen!.describe}, but the file has no ${column.name} column; add the column`,
  };
}

function notApplicable(column: Column): RowProblem {
  return {
    code: ErrorCode.NotApplicable,
    column: column.name,
    message: `${column.name}: must be empty unless ${column.onlyWhen!.describe}; clear the cell`,
  };
}

function trueNotAllowed(column: Column): RowProblem {
  return {
    code: ErrorCode.ConflictingState,
    column: column.name,
    message: `${column.name}: can be TRUE only when ${column.trueOnlyWhen!.describe}; write FALSE or change the row so that ${column.trueOnlyWhen!.describe}`,
  };
}

function requiredToCreate(column: Column): RowProblem {
  return {
    code: ErrorCode.RequiredValue,
    column: column.name,
    message: `${column.name}: a value is required to create the object, but the file has no ${column.name} column; add the column`,
  };
}

/** Joins a row's problems into the one message the error report shows (§1.8). */
export function joinProblems(problems: readonly RowProblem[]): string {
  return problems.map((p) => p.message).join('; ');
}
