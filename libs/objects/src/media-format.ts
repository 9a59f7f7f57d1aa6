import type { Readable, Transform } from 'node:stream';
import type { ErrorCode } from '@bulkops/contracts';
import type { RowProblem } from './row-problem';

/**
 * How a media type is uploaded, templated and exported (objects.md §17): a zip of media files, one
 * row each and keyed by its file name, plus an optional manifest CSV of the type's columns
 * (descriptions, DELETE rows). A declaration that has one is the media variant of `ObjectDeclaration`
 * (`file: 'zip'`), which makes ingest read its uploads with `read` and its templates and exports
 * zips. The hooks know the type's layout and content rules; the services hand them the zip, storage
 * and archive capabilities, so this library stays free of storage and database code. `D` is the
 * declaration the hooks are handed (`MediaDeclaration`), a parameter so this file does not import
 * the declaration that imports it.
 */
export interface MediaFormat<D> {
  /** The manifest's file name inside the zip (`audio-files.csv`). */
  readonly manifest: string;
  /** The extension of the media files (`.wav`), lower case with its dot. */
  readonly extension: string;
  /**
   * Reads a whole upload and emits its rows in the order the error report lists them. Problems of
   * one file are row problems; a problem of the upload as a whole is a thrown BulkopsError with an
   * upload failure code (the job then fails with nothing applied).
   */
  read(
    declaration: D,
    context: MediaReadContext,
    emit: (row: MediaRow) => Promise<void>,
  ): Promise<void>;
  /** Writes the blank template of the type into `archive` and ends it. */
  writeTemplate(declaration: D, archive: ArchiveBuilder): Promise<void>;
  /** Writes every stored object into `archive` as valid uploads of the type and ends it. */
  writeExport(declaration: D, source: MediaExportSource, archive: ArchiveBuilder): Promise<void>;
}

/** A file inside an uploaded zip, listed from the central directory before any of it is read. */
export interface UploadEntry {
  /** Its path inside the zip, '/'-separated. */
  readonly name: string;
  /** Its uncompressed size as the zip declares it. */
  readonly size: number;
  /**
   * Why the zip safety rules refuse the entry, or null: UNEXPECTED_ZIP_ENTRY (inside a folder or an
   * unsafe path), INVALID_ZIP (encrypted), FILE_TOO_LARGE (declares more than the per-file limit).
   */
  readonly refusal: { code: ErrorCode; message: string } | null;
  /** Streams its bytes; fails with FILE_TOO_LARGE as soon as more than the per-file limit went by. */
  open(): Readable;
}

/** Where a reader keeps the bytes of the media files it accepts. */
export interface BlobSink {
  /**
   * Streams `input` through `checks` into the job's storage and answers the sha256 (hex) and size
   * of the bytes. When a check or the input fails, nothing is kept and the error is rethrown.
   * Storing the same bytes twice is harmless: blobs are addressed by their content.
   */
  put(input: Readable, checks: readonly Transform[]): Promise<{ sha256: string; bytes: number }>;
}

/** What a media reader is given. */
export interface MediaReadContext {
  /** The upload's file name, for messages. */
  readonly fileName: string;
  /** Every entry of the zip except `__MACOSX/` and dot-files, sorted by name. */
  readonly entries: readonly UploadEntry[];
  /**
   * Reads a CSV entry with the rules of every bulkops CSV (UTF-8, RFC 4180, size limit, formula
   * neutralisation undone); `row` counts the header as 1. File-level problems are thrown.
   */
  readCsv(entry: UploadEntry): AsyncIterable<{ row: number; cells: string[] }>;
  readonly blobs: BlobSink;
  /** The most rows a file may hold (objects.md §1.1), and so the most media files a zip may hold. */
  readonly maxRows: number;
  /** The most bytes one file may hold; `open` enforces it, messages quote it. */
  readonly maxFileBytes: number;
  /** Called between files of a long read, so the job does not look stalled. */
  heartbeat(): Promise<void>;
}

/** One row a media reader produces. */
export interface MediaRow {
  /** Cells in declaration order, Action last; null where the row has no such cell. */
  cells: (string | null)[];
  /** The row's normalised key (checkRow's), or null when it has none and so cannot clash. */
  keyNorm: string | null;
  /** Values of the declaration's content columns by field, for rows that carry content. */
  content?: Record<string, unknown>;
  /**
   * Where the row comes from: the file inside the upload (Source File), its manifest line when it has
   * one (Source Row), and how a message about another row of the job points at it, after "is also"
   * (e.g. "on row 5 of audio-files.csv", "in the zip as hello.wav").
   */
  source: { file: string; line: number | null; where: string };
  /** Everything wrong with the row (its own cell rules included); empty when it may be applied. */
  problems: RowProblem[];
}

/**
 * A zip being written (`ZipWriter` of @bulkops/csv implements it). Entries are streamed in the
 * order they are added; file contents are opened only when the writer reaches them.
 */
export interface ArchiveBuilder {
  /** Adds a small CSV written the way bulkops writes every CSV (BOM, CRLF, formulas neutralised). */
  addCsv(name: string, rows: readonly (readonly string[])[]): void;
  /** Adds a file whose bytes are opened when the writer gets to it. */
  addFile(name: string, open: () => Readable): void;
  /** Adds a zip nested in this one; end it before adding anything after it. */
  addArchive(name: string): ArchiveBuilder;
  /** Finishes the archive; resolves once its last byte is written (at most a buffer ahead of its reader). */
  end(): Promise<void>;
}

/** A stored object as an export reads it: stored values by field, content fields included. */
export interface ExportRecord {
  readonly keyDisplay: string;
  readonly values: Readonly<Record<string, unknown>>;
}

/** What an export hook reads from. */
export interface MediaExportSource {
  /** Every object of the organization, sorted by key, read page by page. */
  records(): AsyncIterable<ExportRecord>;
  /** The bytes a blob content column names. */
  openBlob(sha256: string): Readable;
}
