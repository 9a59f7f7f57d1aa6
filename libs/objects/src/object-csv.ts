import { BulkopsError, ErrorCode } from '@bulkops/contracts';
import type { ObjectDeclaration } from './define-object';
import { arrangeCells, checkHeader, extraCellProblems, type HeaderMatch } from './header-check';
import { checkRow, type CheckedRow } from './row-check';
import type { RowProblem } from './row-problem';

/** One record of a CSV as the CSV reader of @bulkops/csv gives it; `row` counts the header as 1. */
export interface CsvRecord {
  row: number;
  cells: string[];
}

/** One data row of an object CSV: its cells in declaration order (Action last), checked on their own. */
export interface ObjectCsvRow {
  /** Its line in the file, the header being line 1. */
  line: number;
  cells: (string | null)[];
  checked: CheckedRow;
  /** Cells beyond the header, then the row's own problems; empty when the row may be applied. */
  problems: RowProblem[];
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
 * order and checked on its own; answers a batch of rows per batch of records. Problems of the file
 * as a whole (no header, a header that does not fit, too many rows) are thrown as BulkopsErrors
 * naming the file, and end the job. `header` is told the header once it fits.
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
      const checked = checkRow(declaration, cells);
      const extra = extraCellProblems(record.cells, width);
      read.push({
        line: record.row,
        cells,
        checked,
        problems: extra.length > 0 ? [...extra, ...checked.problems] : checked.problems,
      });
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
