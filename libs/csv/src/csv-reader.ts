import { Transform, type Readable } from 'node:stream';
import { BulkopsError, ErrorCode } from '@bulkops/contracts';
import { byteLimit } from './byte-limit';
import { unneutralise } from './formula';
import { CsvRecordParser } from './csv-record-parser';

/** One record of a CSV file: its row number (header = 1, as a spreadsheet counts) and cells. */
export interface CsvRecord {
  row: number;
  cells: string[];
}

/** Decodes UTF-8 strictly (a BOM is dropped); anything else is INVALID_ENCODING with its position. */
function utf8Decoder(fileName: string): Transform {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let offset = 0;
  const fail = () =>
    new BulkopsError(
      ErrorCode.InvalidEncoding,
      `${fileName} is not UTF-8 text (the bytes near position ${offset} are not valid UTF-8); save it as "CSV UTF-8" and upload it again`,
      { file: fileName },
    );
  return new Transform({
    readableObjectMode: true,
    transform(chunk: Buffer, _encoding, callback) {
      try {
        const text = decoder.decode(chunk, { stream: true });
        offset += chunk.length;
        callback(null, text);
      } catch {
        callback(fail());
      }
    },
    flush(callback) {
      try {
        const rest = decoder.decode();
        callback(null, rest.length > 0 ? rest : undefined);
      } catch {
        callback(fail());
      }
    },
  });
}

/** How far a read may go: the file's bytes, one cell's and one record's characters. */
export interface CsvReadOptions {
  fileName: string;
  maxBytes: number;
  maxCellChars?: number;
  maxLineChars?: number;
}

/**
 * A header holding NUL characters is UTF-16 (or UTF-32) text that happens to be valid UTF-8 byte
 * for byte: every other byte of ASCII text in UTF-16 is zero.
 */
function looksLikeUtf16(cells: readonly string[], fileName: string): BulkopsError | null {
  if (!cells.some((cell) => cell.includes('\0'))) return null;
  return new BulkopsError(
    ErrorCode.InvalidEncoding,
    `${fileName} is not UTF-8 text (its header holds NUL characters, so it is probably UTF-16); save it as "CSV UTF-8" and upload it again`,
    { file: fileName },
  );
}

/**
 * Reads a CSV stream (RFC 4180; LF or CRLF; UTF-8 with or without BOM) in batches of records, one
 * batch per decoded piece of the stream: never holding the whole file, in time linear in its size
 * whatever its shape, and with one await per batch rather than per record (a promise per row is a
 * measurable share of reading 100,000 rows). Blank lines (nothing, or only commas) are skipped but
 * still counted, so row numbers match what a spreadsheet shows. Cells come back with formula
 * neutralisation undone. Fails with a BulkopsError carrying a file-level code: FILE_TOO_LARGE,
 * INVALID_ENCODING, MALFORMED_CSV (with the row and line where the problem is), CELL_TOO_LONG or
 * LINE_TOO_LONG.
 */
export async function* readCsvBatches(
  input: Readable,
  options: CsvReadOptions,
): AsyncGenerator<CsvRecord[]> {
  const { fileName } = options;
  const parser = new CsvRecordParser(fileName, options.maxCellChars, options.maxLineChars);
  const limit = byteLimit(options.maxBytes, fileName);
  const decoder = utf8Decoder(fileName);
  input.on('error', (error) => limit.destroy(error));
  limit.on('error', (error) => decoder.destroy(error));
  let row = 0;
  const records = (batch: string[][]): CsvRecord[] => {
    const read: CsvRecord[] = [];
    for (const cells of batch) {
      row += 1;
      if (row === 1) {
        const encoding = looksLikeUtf16(cells, fileName);
        if (encoding) throw encoding;
      }
      if (cells.every((cell) => cell === '')) continue;
      read.push({ row, cells: cells.map(unneutralise) });
    }
    return read;
  };
  try {
    for await (const text of input.pipe(limit).pipe(decoder) as AsyncIterable<string>) {
      const read = records(parser.push(text));
      if (read.length > 0) yield read;
    }
    const rest = records(parser.finish());
    if (rest.length > 0) yield rest;
  } finally {
    input.unpipe();
    input.destroy();
    decoder.destroy();
  }
}

/** `readCsvBatches` record by record, for readers of small files (a manifest, a CLI check). */
export async function* readCsv(
  input: Readable,
  options: CsvReadOptions,
): AsyncGenerator<CsvRecord> {
  for await (const batch of readCsvBatches(input, options)) yield* batch;
}
