import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { ZipFile } from 'yazl';
import { csvText, safeCells } from './csv-writer';

type StreamCallback = (error: Error | null, stream: Readable) => void;

/** The part of yazl 3 this writer uses; @types/yazl predates `addReadStreamLazy` and types the output loosely. */
interface YazlZip {
  readonly outputStream: Readable;
  addBuffer(buffer: Buffer, name: string): void;
  addReadStreamLazy(
    name: string,
    options: { compress?: boolean },
    open: (callback: StreamCallback) => void,
  ): void;
  end(): void;
  on(event: 'error', listener: (error: Error) => void): void;
  emit(event: 'error', error: Error): boolean;
}

/**
 * Writes a zip as a stream (media templates and exports, the parts of a large CSV export; the one
 * place bulkops drives yazl): entries go out in the order they are added, a file's bytes are opened
 * only when the writer reaches it, and a nested zip is written through while its parent streams, so
 * nothing is held whole in memory. Read `output` (e.g. pipe it to the response) while adding. A failing file stream fails `output` and `end()`; a reader that
 * goes away fails `end()` and closes whatever the writer still had open.
 */
export class ZipWriter {
  private readonly zip = new ZipFile() as unknown as YazlZip;
  /** The zip's bytes. */
  readonly output: Readable = this.zip.outputStream;
  /** File streams and nested zips the writer is reading. */
  private readonly reading = new Set<Readable>();
  private readonly finished: Promise<void>;

  constructor() {
    this.zip.on('error', (error) => this.output.destroy(error));
    this.finished = finished(this.output, { readable: false });
    // Whoever reads `output` sees a failure; `end()` reports it too, so this one is not unhandled.
    this.finished.catch(() => undefined);
    this.output.once('close', () => {
      for (const stream of this.reading) stream.destroy();
    });
  }

  /** Adds a small CSV written like every bulkops CSV: BOM, CRLF, formula-like cells neutralised. */
  addCsv(name: string, rows: readonly (readonly string[])[]): void {
    this.zip.addBuffer(Buffer.from(csvText(rows.map((row) => safeCells(row))), 'utf8'), name);
  }

  /** Adds a file whose bytes are streamed from `open()` when the writer gets to it. */
  addFile(name: string, open: () => Readable): void {
    this.zip.addReadStreamLazy(name, {}, (callback) => {
      const stream = open();
      this.track(stream);
      stream.once('error', (error: Error) => this.zip.emit('error', error));
      callback(null, stream);
    });
  }

  /** Adds a zip nested in this one, stored as is (zipping a zip gains nothing). End it before adding more. */
  addArchive(name: string): ZipWriter {
    const inner = new ZipWriter();
    this.track(inner.output);
    inner.zip.on('error', (error) => this.zip.emit('error', error));
    this.zip.addReadStreamLazy(name, { compress: false }, (callback) =>
      callback(null, inner.output),
    );
    return inner;
  }

  /**
   * Finishes the zip; resolves once its last byte is written to `output`. File data is written with
   * backpressure, so the writer runs at most a stream buffer ahead of whoever reads `output`.
   */
  async end(): Promise<void> {
    this.zip.end();
    await this.finished;
  }

  private track(stream: Readable): void {
    this.reading.add(stream);
    stream.once('close', () => this.reading.delete(stream));
  }
}
