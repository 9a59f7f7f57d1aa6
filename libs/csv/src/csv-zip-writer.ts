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
 * CSV parts of at most `rowsPerPart` rows (see `createCsvPartsWriter`). Destroying the stream stops
 * everything.
 */
export function createCsvZipWriter(options: CsvZipOptions): Duplex {
  const zip = new ZipWriter();
  const rows = createCsvPartsWriter(zip, options);
  // A failure to finish reaches the reader as an error of the zip's bytes, so not twice here.
  rows.once('finish', () => void zip.end().catch(() => undefined));
  // Destroyed before every row was written: nobody will finish the zip, so stop it.
  rows.once('close', () => {
    if (!rows.writableFinished) zip.output.destroy(rows.errored ?? undefined);
  });
  zip.output.on('error', (error: Error) => rows.destroy(error));
  return Duplex.from({ writable: rows, readable: zip.output });
}

/**
 * A writable of rows that adds them to `zip` as CSV parts of at most `rowsPerPart` rows, each
 * written like every CSV bulkops hands out (BOM, CRLF) and starting with the header; no rows at all
 * still give one part holding the header. Each part is a streamed zip entry, ended before the next
 * begins, so only the rows in flight are ever held: memory does not grow with the number of rows,
 * and backpressure from the zip's reader reaches the writer. The zip is left open: the caller may
 * add more entries after the stream finishes, and ends it.
 */
export function createCsvPartsWriter(zip: ZipWriter, options: CsvZipOptions): Writable {
  if (options.rowsPerPart < 1) throw new RangeError('rowsPerPart must be at least 1');
  let part: CsvFormatterStream<string[], string[]> | null = null;
  let partBytes: Transform | null = null;
  let rowsInPart = 0;
  let ordinal = 0;

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
      (part ?? startPart()).end();
      callback();
    },
    destroy(error, callback) {
      if (!rows.writableFinished) {
        part?.destroy();
        partBytes?.destroy();
      }
      callback(error);
    },
  });

  // A zip whose reader went away reads no more parts: stop, rather than wait for it forever.
  const zipGone = () => {
    if (!rows.writableFinished)
      rows.destroy(
        Object.assign(new Error('the zip was closed before its parts were written'), {
          code: 'ERR_STREAM_PREMATURE_CLOSE',
        }),
      );
  };
  if (zip.output.destroyed) process.nextTick(zipGone);
  else zip.output.once('close', zipGone);
  rows.once('close', () => zip.output.off('close', zipGone));

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

  return rows;
}
