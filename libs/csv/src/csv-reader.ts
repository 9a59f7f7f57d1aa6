import { Transform, type Readable } from 'node:stream';
import { parse } from 'fast-csv';
import { BulkopsError, ErrorCode } from '@bulkops/contracts';
import { byteLimit } from './byte-limit';
import { unneutralise } from './formula';
import { quoteScanner } from './quote-scanner';

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

/**
 * Reads a CSV stream record by record (RFC 4180; LF or CRLF; UTF-8 with or without BOM), never
 * holding the whole file. Blank lines (nothing, or only commas) are skipped but still counted, so
 * row numbers match what a spreadsheet shows. Cells come back with formula neutralisation undone.
 * Fails with a BulkopsError carrying a file-level code: FILE_TOO_LARGE, INVALID_ENCODING or
 * MALFORMED_CSV (with the row and line where the problem is).
 */
export async function* readCsv(
  input: Readable,
  options: { fileName: string; maxBytes: number },
): AsyncGenerator<CsvRecord> {
  const { fileName } = options;
  const parser = parse({ headers: false, ignoreEmpty: false, trim: false });
  const limit = byteLimit(options.maxBytes, fileName);
  const decoder = utf8Decoder(fileName);
  const scanner = quoteScanner(fileName);
  let upstreamError: unknown = null;
  const stop = (error: unknown) => {
    upstreamError ??= error;
    parser.destroy(error as Error);
  };
  input.on('error', stop);
  limit.on('error', stop);
  decoder.on('error', stop);
  scanner.on('error', stop);
  input.pipe(limit).pipe(decoder).pipe(scanner).pipe(parser);
  let row = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      row += 1;
      if (record.every((cell) => cell === '')) continue;
      yield { row, cells: record.map(unneutralise) };
    }
  } catch (error) {
    if (upstreamError instanceof BulkopsError) throw upstreamError;
    if (error instanceof BulkopsError) throw error;
    // The quote scanner catches quoting mistakes first; anything else the parser rejects lands here.
    const detail = (error instanceof Error ? error.message : String(error))
      .replace(/^Parse Error: /, '')
      .replace(/ at '[\s\S]*$/, '');
    throw new BulkopsError(
      ErrorCode.MalformedCsv,
      `${fileName} is not valid CSV after row ${row} (${detail})`,
      { file: fileName },
    );
  } finally {
    input.unpipe();
    input.destroy();
  }
  if (upstreamError instanceof BulkopsError) throw upstreamError;
}
