import { Duplex, Writable, type Transform } from 'node:stream';
import type { CsvFormatterStream } from 'fast-csv';
import { batchChunks } from './chunk-batcher';
import { createCsvWriter } from './csv-writer';
import { ZipWriter } from './zip-writer';

/** How rows are cut into the CSV files of a zip. */
export interface CsvZipOptions {
  /** The first row of every part. */
  header: readonly string[];
  /** Data rows per part, header not counted. */
  rowsPerPart: number;
  /** The entry name of part `ordinal` (1, 2, …). */
  partName(ordinal: number): string;
}

/**
 * A stream that takes rows (arrays of cells, already neutralised) and gives the bytes of a zip of
 * CSV parts of at most `rowsPerPart` rows, each written like every CSV bulkops hands out (BOM, CRLF)
 * and starting with the header. Each part is a streamed zip entry, ended before the next begins, so
 * only the rows in flight are ever held: memory does not grow with the number of rows, and
 * backpressure from the reader reaches the writer. Destroying the stream stops everything.
 */
export function createCsvZipWriter(options: CsvZipOptions): Duplex {
  if (options.rowsPerPart < 1) throw new RangeError('rowsPerPart must be at least 1');
  const zip = new ZipWriter();
  let part: CsvFormatterStream<string[], string[]> | null = null;
  let partBytes: Transform | null = null;
  let rowsInPart = 0;
  let ordinal = 0;
  let ended = false;

  const rows = new Writable({
    objectMode: true,
    write(cells: string[], _encoding, callback) {
      if (part === null || rowsInPart === options.rowsPerPart) {
        part?.end();
        part = startPart();
      }
      rowsInPart += 1;
      if (part.write(cells)) callback();
      else part.once('drain', () => callback());
    },
    final(callback) {
      // No rows at all still gives a valid upload: one part holding the header.
      (part ?? startPart()).end();
      // A failure to finish reaches the reader as an error of the zip's bytes, so not twice here.
      zip.end().catch(() => undefined);
      ended = true;
      callback();
    },
    destroy(error, callback) {
      // After `final` the zip completes on its own; before it, nobody will finish it, so stop it.
      if (!ended) {
        part?.destroy();
        partBytes?.destroy();
        zip.output.destroy(error ?? undefined);
      }
      callback(error);
    },
  });

  function startPart(): CsvFormatterStream<string[], string[]> {
    ordinal += 1;
    rowsInPart = 0;
    const csv = createCsvWriter();
    // One deflate call per batch of rows rather than per row: per-row calls cost several times more.
    partBytes = batchChunks();
    csv.on('error', (error) => rows.destroy(error));
    partBytes.on('error', (error) => rows.destroy(error));
    const bytes = csv.pipe(partBytes);
    zip.addFile(options.partName(ordinal), () => bytes);
    csv.write([...options.header]);
    return csv;
  }

  zip.output.on('error', (error: Error) => rows.destroy(error));
  return Duplex.from({ writable: rows, readable: zip.output });
}
