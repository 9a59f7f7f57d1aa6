import { format, type CsvFormatterStream } from 'fast-csv';
import { neutralise } from './formula';

/**
 * A CSV writing stream the way every file bulkops hands out is written (objects.md §1.1, §1.9):
 * UTF-8 with BOM, CRLF, RFC 4180 quoting only where needed. Write rows as arrays of cells;
 * neutralise formula-like cells with `safeCells` before writing.
 */
export function createCsvWriter(): CsvFormatterStream<string[], string[]> {
  return format<string[], string[]>({
    writeBOM: true,
    rowDelimiter: '\r\n',
    includeEndRowDelimiter: true,
  });
}

/** Cells with spreadsheet formulas neutralised. */
export function safeCells(cells: readonly (string | null | undefined)[]): string[] {
  return cells.map((cell) => neutralise(cell ?? ''));
}

/** A complete small CSV (a template) as a string, with BOM and CRLF. */
export function csvText(rows: readonly (readonly string[])[]): string {
  const quote = (cell: string) => (/[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
  return `\uFEFF${rows.map((row) => row.map(quote).join(',')).join('\r\n')}\r\n`;
}
