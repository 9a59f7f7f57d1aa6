import { BulkopsError, ErrorCode } from '@bulkops/contracts';
import type { ObjectDeclaration } from './define-object';
import { arrangeCells, checkHeader, extraCellProblems, type HeaderMatch } from './header-check';
import { checkRow, rowKey, type CheckedRow } from './row-check';
import type { RowProblem } from './row-problem';

/** One record of a CSV as the CSV reader of @bulkops/csv gives it; `row` counts the header as 1. */
export interface CsvRecord {
  row: number;
  cells: string[];
}

/**
 * One data row of an object CSV: its cells in declaration order (Action last) and what is known of
 * it on its own. Its key is read on first use, and so is the whole row (checkRow): a reader that
 * only stages rows for the worker, which checks every row it applies, needs the key alone.
 */
export class ObjectCsvRow {
  private checkedRow: CheckedRow | undefined;
  private key: string | null | undefined;

  constructor(
    private readonly declaration: ObjectDeclaration,
    /** Its line in the file, the header being line 1. */
    readonly line: number,
    readonly cells: (string | null)[],
    /** Cells beyond the header: a problem only the file shows, not the cells themselves. */
    readonly extraProblems: RowProblem[],
  ) {}

  /** The row read by its own field rules (checkRow). */
  get checked(): CheckedRow {
    return (this.checkedRow ??= checkRow(this.declaration, this.cells));
  }

  /** Its normalised key, as `checked.keyNorm` (see rowKey). */
  get keyNorm(): string | null {
    if (this.checkedRow) return this.checkedRow.keyNorm;
    if (this.key === undefined) this.key = rowKey(this.declaration, this.cells);
    return this.key;
  }

  /** Cells beyond the header, then the row's own problems; empty when the row may be applied. */
  get problems(): RowProblem[] {
    const own = this.checked.problems;
    return this.extraProblems.length > 0 ? [...this.extraProblems, ...own] : own;
  }
}

/** The file being read and its limit. */
export interface ObjectCsvFile {
  name: string;
  /** The most data rows the file may hold (objects.md §1.1). */
  maxRows: number;
  /** How to get under the limit, after "so ": "split it (a zip may hold several files)". */
  splitAdvice: string;
}

/**
 * Reads one CSV file of a type (objects.md §1.2, §1.3) from batches of records: the first record
 * must be a header that fits the declaration, and each further record is arranged in declaration
 * order (its checks are made when asked for, see ObjectCsvRow); answers a batch of rows per batch
 * of records. Problems of the file as a whole (no header, a header that does not fit, too many
 * rows) are thrown as BulkopsErrors naming the file, and end the job. `header` is told the header
 * once it fits.
 */
export async function* readObjectCsvBatches(
  declaration: ObjectDeclaration,
  batches: AsyncIterable<readonly CsvRecord[]>,
  file: ObjectCsvFile,
  header?: (match: HeaderMatch) => void,
): AsyncGenerator<ObjectCsvRow[]> {
  let match: HeaderMatch | null = null;
  let width = 0;
  let rows = 0;
  for await (const records of batches) {
    const read: ObjectCsvRow[] = [];
    for (const record of records) {
      if (match === null) {
        const checked = checkHeader(declaration, record.cells, file.name);
        if (!checked.ok) throw new BulkopsError(checked.code, checked.message, { file: file.name });
        match = checked;
        width = record.cells.length;
        header?.(match);
        continue;
      }
      rows += 1;
      if (rows > file.maxRows) {
        throw new BulkopsError(
          ErrorCode.TooManyRows,
          `${file.name} has more than ${file.maxRows} rows; the limit is ${file.maxRows} per file, so ${file.splitAdvice}`,
          { file: file.name },
        );
      }
      const cells = arrangeCells(match, record.cells, declaration.columns.length);
      read.push(
        new ObjectCsvRow(declaration, record.row, cells, extraCellProblems(record.cells, width)),
      );
    }
    if (read.length > 0) yield read;
  }
  if (match === null) {
    throw new BulkopsError(
      ErrorCode.EmptyFile,
      `${file.name} is empty; its first line must be the header, e.g. ${declaration.header.join(',')}`,
      { file: file.name },
    );
  }
}

/** `readObjectCsvBatches` over records one by one, row by row (a media manifest). */
export async function* readObjectCsv(
  declaration: ObjectDeclaration,
  records: AsyncIterable<CsvRecord>,
  file: ObjectCsvFile,
  header?: (match: HeaderMatch) => void,
): AsyncGenerator<ObjectCsvRow> {
  async function* single(): AsyncGenerator<CsvRecord[]> {
    for await (const record of records) yield [record];
  }
  for await (const rows of readObjectCsvBatches(declaration, single(), file, header)) yield* rows;
}
