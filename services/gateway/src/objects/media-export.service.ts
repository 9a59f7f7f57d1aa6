import { pipeline } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { ZipWriter } from '@bulkops/csv';
import { ObjectRecordsRepository, type RecordPage, type RecordSnapshot } from '@bulkops/database';
import type { ExportRecord, MediaDeclaration, MediaExportSource } from '@bulkops/objects';
import { StorageKeys, StorageService } from '@bulkops/storage';

const PAGE_SIZE = 500;

/** A zip ready to be streamed to a client: its file name, its content type and its bytes. */
export interface MediaDownload {
  fileName: string;
  contentType: 'application/zip';
  /** Streams the zip into `output`; rejects when writing fails or `output` goes away. */
  writeTo(output: Writable): Promise<void>;
}

/**
 * Templates and exports of media types (objects.md §17), for any media declaration: its media
 * format decides the layout, this service supplies the zip writer, the stored records (read in key
 * order, a page at a time) and the kept blobs (streamed from storage as the zip reaches them), so an
 * export of any size passes through in bounded memory.
 */
@Injectable()
export class MediaExportService {
  constructor(
    private readonly records: ObjectRecordsRepository,
    private readonly storage: StorageService,
  ) {}

  /** The blank template: `audio-file` → `audio-file-template.zip`, holding the manifest header. */
  template(declaration: MediaDeclaration): MediaDownload {
    const { media } = declaration;
    return {
      fileName: `${declaration.type}-template.zip`,
      contentType: 'application/zip',
      writeTo: (output) => this.write(output, (zip) => media.writeTemplate(declaration, zip)),
    };
  }

  /**
   * Every object of the organization with its media: `audio-file` → `audio-file.zip`, one upload or,
   * past 5000 files, an outer zip of uploads. Records are read when `writeTo` runs.
   */
  export(orgId: string, declaration: MediaDeclaration): MediaDownload {
    const { media } = declaration;
    const source = this.source(orgId, declaration, (after) =>
      this.records.page(orgId, declaration, after, PAGE_SIZE),
    );
    return {
      fileName: `${declaration.type}.zip`,
      contentType: 'application/zip',
      writeTo: (output) => this.write(output, (zip) => media.writeExport(declaration, source, zip)),
    };
  }

  /**
   * Adds the type's export to `zip` as a folder named after the type (`audio-file/`, the layout of a
   * bundle): the files and their manifest exactly as the type's own export holds them, read from
   * `snapshot`. The records must fit one upload (EXPORT_ROWS_PER_FILE); the caller checks.
   */
  async addTo(
    zip: ZipWriter,
    snapshot: RecordSnapshot,
    declaration: MediaDeclaration,
  ): Promise<void> {
    const source = this.source(snapshot.orgId, declaration, (after) =>
      snapshot.page(declaration, after, PAGE_SIZE),
    );
    await declaration.media.writeExport(declaration, source, zip.folder(declaration.type));
  }

  private source(
    orgId: string,
    declaration: MediaDeclaration,
    page: (after: string | null) => Promise<RecordPage>,
  ): MediaExportSource {
    return {
      records: () => this.pages(declaration, page),
      openBlob: (sha256) => this.storage.open(StorageKeys.blob(orgId, declaration.type, sha256)),
    };
  }

  /** Pipes a zip to `output` while `fill` writes it; rejects when either fails (a reader that went away). */
  private async write(output: Writable, fill: (zip: ZipWriter) => Promise<void>): Promise<void> {
    const zip = new ZipWriter();
    const piping = pipeline(zip.output, output);
    try {
      await fill(zip);
    } catch (error) {
      zip.output.destroy(error as Error);
      await piping.catch(() => undefined);
      throw error;
    }
    await piping;
  }

  /** The stored objects in key order, read a page at a time (keyset pages, as the records endpoint's). */
  private async *pages(
    declaration: MediaDeclaration,
    page: (after: string | null) => Promise<RecordPage>,
  ): AsyncGenerator<ExportRecord> {
    let after: string | null = null;
    for (;;) {
      const { records, more } = await page(after);
      for (const record of records) {
        const values: Record<string, unknown> = {};
        declaration.columns.forEach((c) => (values[c.field] = record.values[c.index]));
        declaration.content.forEach((c) => (values[c.field] = record.content[c.index]));
        yield { keyDisplay: record.keyDisplay, values };
      }
      if (!more) return;
      after = records.at(-1)!.keyNorm;
    }
  }
}
