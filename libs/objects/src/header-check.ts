import { ErrorCode } from '@bulkops/contracts';
import { ACTION_COLUMN, headerNorm, REPORT_COLUMNS, type ObjectDeclaration } from './define-object';
import { quote, type RowProblem } from './row-problem';

/** Where each header cell goes: a declaration column, the Action column, or nowhere. */
export type HeaderSlot = number | 'action' | 'ignored';

/** A header that fits the declaration. */
export interface HeaderMatch {
  ok: true;
  slots: HeaderSlot[];
  /** Per declaration column: whether the file has it. */
  present: boolean[];
  hasAction: boolean;
}

/** A header that does not: the job fails with this code and sentence. */
export interface HeaderFailure {
  ok: false;
  code: ErrorCode;
  message: string;
}

const IGNORED = new Set(REPORT_COLUMNS.map(headerNorm));

/**
 * Checks a file's header against a declaration (objects.md §1.2): any order, any case, aliases,
 * required columns present, no unknown or repeated column. Empty cells at the end of the header
 * (a spreadsheet's trailing commas) are ignored. Messages quote at most 60 characters of a name, so
 * a 10 MB column name makes a short failure.
 */
export function checkHeader(
  declaration: ObjectDeclaration,
  cells: readonly string[],
  fileName: string,
): HeaderMatch | HeaderFailure {
  let last = cells.length;
  while (last > 0 && cells[last - 1].trim() === '') last -= 1;
  if (last === 0) {
    return {
      ok: false,
      code: ErrorCode.EmptyFile,
      message: `${fileName} has no header; its first line must name the columns, e.g. ${declaration.header.join(',')}`,
    };
  }
  const slots: HeaderSlot[] = [];
  const seenAt = new Map<string, number>();
  const present = declaration.columns.map(() => false);
  let hasAction = false;
  // Trailing empty cells get no slot: a header ending in a million commas costs nothing per row.
  for (let position = 0; position < last; position += 1) {
    const raw = cells[position].trim();
    const columnNumber = position + 1;
    if (raw === '') {
      return {
        ok: false,
        code: ErrorCode.UnknownColumn,
        message: `${fileName}: header column ${columnNumber} is empty; name it or delete the column`,
      };
    }
    const norm = headerNorm(raw);
    const column = declaration.columnByHeader(raw);
    const canonical = column?.name ?? (norm === headerNorm(ACTION_COLUMN) ? ACTION_COLUMN : raw);
    const earlier = seenAt.get(canonical);
    if (earlier !== undefined) {
      return {
        ok: false,
        code: ErrorCode.DuplicateColumn,
        message: `${fileName} has the column ${quote(canonical)} twice (header columns ${earlier} and ${columnNumber}); keep one`,
      };
    }
    seenAt.set(canonical, columnNumber);
    if (column) {
      slots.push(column.index);
      present[column.index] = true;
    } else if (canonical === ACTION_COLUMN) {
      slots.push('action');
      hasAction = true;
    } else if (IGNORED.has(norm)) {
      slots.push('ignored');
    } else {
      return {
        ok: false,
        code: ErrorCode.UnknownColumn,
        message: `${fileName} has an unknown column ${quote(raw)} (header column ${columnNumber}); the ${declaration.label.toLowerCase()} columns are ${declaration.header.join(', ')}`,
      };
    }
  }
  // A file with an Action column may hold only DELETE rows, which need nothing but the key; its
  // other rows then need the missing columns only to create objects (row errors, not a failure).
  const needed = declaration.columns.filter((c) => c.required && (c.isKey || !hasAction));
  const missing = needed.filter((c) => !present[c.index]).map((c) => c.name);
  if (missing.length > 0) {
    const names = missing.map((m) => `'${m}'`).join(', ');
    return {
      ok: false,
      code: ErrorCode.MissingColumn,
      message: `${fileName} has no ${names} column${missing.length > 1 ? 's' : ''}; add ${missing.length > 1 ? 'them' : 'it'} to the header (required: ${needed.map((c) => c.name).join(', ')})`,
    };
  }
  return { ok: true, slots, present, hasAction };
}

/**
 * Arranges one parsed CSV record into declaration order: the cell of each declaration column
 * (null when the file has no such column) followed by the Action cell.
 */
export function arrangeCells(
  match: HeaderMatch,
  record: readonly string[],
  columnCount: number,
): (string | null)[] {
  const cells = new Array<string | null>(columnCount + 1);
  for (let i = 0; i < columnCount; i += 1) cells[i] = match.present[i] ? '' : null;
  cells[columnCount] = match.hasAction ? '' : null;
  for (let position = 0; position < match.slots.length; position += 1) {
    const slot = match.slots[position];
    if (slot === 'ignored') continue;
    const value = record[position] ?? '';
    cells[slot === 'action' ? columnCount : slot] = value;
  }
  return cells;
}

/**
 * A record with non-empty cells beyond the header's last column cannot be read safely (an unquoted
 * comma moved its cells): the row is rejected rather than silently losing a value.
 */
export function extraCellProblems(cells: readonly string[], width: number): RowProblem[] {
  if (cells.length <= width) return [];
  const extra = cells.slice(width).filter((cell) => cell.trim() !== '');
  if (extra.length === 0) return [];
  return [
    {
      code: ErrorCode.RowMalformed,
      message: `Row: it has ${cells.length} cells but the header names ${width} columns; remove the extra cells or quote a cell that contains a comma`,
    },
  ];
}
