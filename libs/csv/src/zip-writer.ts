import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { ZipFile } from 'yazl';
import { csvText, safeCells } from './csv-writer';

type StreamCallback = (error: Error | null, stream: Readable) => void;

/** How a zip is written. */
export interface ZipWriterOptions {
  /**
   * The modification time of every entry. Unset, each entry is stamped with the time it is added;
   * set, the zip's bytes depend only on its contents (an organization export that must come out
   * byte-identical for identical configurations).
   */
  readonly mtime?: Date;
}

/** The part of yazl 3 this writer uses; @types/yazl predates `addReadStreamLazy` and types the output loosely. */
interface YazlZip {
  readonly outputStream: Readable;
  addBuffer(buffer: Buffer, name: string, options: { mtime?: Date }): void;
  addReadStreamLazy(
    name: string,
    options: { compress?: boolean; mtime?: Date },
    open: (callback: StreamCallback) => void,
  ): void;
  end(): void;
  on(event: 'error', listener: (error: Error) => void): void;
  emit(event: 'error', error: Error): boolean;
}

/** The entries of a folder inside a zip being written (`ZipWriter.folder`). */
export interface FolderView {
  addCsv(name: string, rows: readonly (readonly string[])[]): void;
  addFile(name: string, open: () => Readable): void;
  addArchive(name: string): ZipWriter;
  end(): Promise<void>;
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

  constructor(private readonly options: ZipWriterOptions = {}) {
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
    this.zip.addBuffer(
      Buffer.from(csvText(rows.map((row) => safeCells(row))), 'utf8'),
      name,
      this.entryOptions(),
    );
  }

  /** Adds a file whose bytes are streamed from `open()` when the writer gets to it. */
  addFile(name: string, open: () => Readable): void {
    this.zip.addReadStreamLazy(name, this.entryOptions(), (callback) => {
      const stream = open();
      this.track(stream);
      stream.once('error', (error: Error) => this.zip.emit('error', error));
      callback(null, stream);
    });
  }

  /** Adds a zip nested in this one, stored as is (zipping a zip gains nothing). End it before adding more. */
  addArchive(name: string): ZipWriter {
    const inner = new ZipWriter(this.options);
    this.track(inner.output);
    inner.zip.on('error', (error) => this.zip.emit('error', error));
    this.zip.addReadStreamLazy(name, { ...this.entryOptions(), compress: false }, (callback) =>
      callback(null, inner.output),
    );
    return inner;
  }

  /**
   * A view of this zip that adds its entries under `folder/` (a bundle's `audio-file/`). Ending the
   * view ends nothing: its entries are queued in this zip, which its owner ends.
   */
  folder(folder: string): FolderView {
    const path = (name: string) => `${folder}/${name}`;
    return {
      addCsv: (name, rows) => this.addCsv(path(name), rows),
      addFile: (name, open) => this.addFile(path(name), open),
      addArchive: (name) => this.addArchive(path(name)),
      end: () => Promise.resolve(),
    };
  }

  /**
   * Finishes the zip; resolves once its last byte is written to `output`. File data is written with
   * backpressure, so the writer runs at most a stream buffer ahead of whoever reads `output`.
   */
  async end(): Promise<void> {
    this.zip.end();
    await this.finished;
  }

  private entryOptions(): { mtime?: Date } {
    return this.options.mtime ? { mtime: this.options.mtime } : {};
  }

  private track(stream: Readable): void {
    this.reading.add(stream);
    stream.once('close', () => this.reading.delete(stream));
  }
}
