import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Injectable } from '@nestjs/common';
import { BulkopsError, ErrorCode } from '@bulkops/contracts';
import { ZipWriter } from '@bulkops/csv';
import { ObjectRecordsRepository, type RecordSnapshot } from '@bulkops/database';
import { OBJECT_TYPES } from '@bulkops/objects';
import { CsvExportService, EXPORT_ROWS_PER_FILE } from '../objects/csv-export.service';
import type { Download } from '../objects/download';
import { ExportLimiter } from '../objects/export-limiter';
import { MediaExportService } from '../objects/media-export.service';

/**
 * The time stamped on every entry of an organization export. The entries' times are the only
 * thing in the zip that does not come from the records, so fixing them makes the export a function
 * of the configuration alone: two organizations configured alike export byte-identical bundles,
 * which is how a clone is checked. (1 January 2000, UTC: well inside what zip's DOS times can hold
 * in any time zone.)
 */
const ENTRY_TIME = new Date(Date.UTC(2000, 0, 1));

/**
 * `GET /v1/export` (spec/api.md "Bundles, org export"): the organization's whole configuration as
 * one bundle zip, every type in the dependency order of `GET /v1/objects`. A CSV type is
 * `{type}.csv`, or `{type}-001.csv`, `{type}-002.csv`, … past EXPORT_ROWS_PER_FILE records; a media
 * type is the folder `{type}/` holding its files and manifest. Each type's files are byte for byte
 * those of the type's own export, so each is also a valid upload of its type on its own.
 *
 * Types without records are included too, as the header-only CSV (or the manifest-only folder)
 * their own export gives: that is a valid upload which changes nothing, so the bundle re-uploads
 * cleanly, and every export lists every type, so two exports compare file by file.
 *
 * All types are read from one snapshot, so every reference written names a record that is written
 * too, even while jobs change the organization. Streamed: rows go from Postgres cursors (and media
 * from storage) through the zip writer to the client with backpressure, so memory does not grow
 * with the organization.
 */
@Injectable()
export class OrgExportService {
  constructor(
    private readonly records: ObjectRecordsRepository,
    private readonly csvExport: CsvExportService,
    private readonly mediaExport: MediaExportService,
    private readonly limiter: ExportLimiter,
  ) {}

  /**
   * Takes a snapshot and checks it can be written as a bundle before anything is sent, so a refusal
   * is an HTTP error rather than a truncated zip.
   */
  async open(orgId: string): Promise<Download> {
    const release = this.limiter.take();
    let snapshot: RecordSnapshot | null = null;
    try {
      snapshot = await this.records.openSnapshot(orgId);
      await this.checkMediaFit(snapshot);
    } catch (error) {
      try {
        await snapshot?.close();
      } finally {
        release();
      }
      throw error;
    }
    const opened = snapshot;
    return {
      fileName: 'bulkops-export.zip',
      contentType: 'application/zip',
      writeTo: async (output) => {
        try {
          await this.write(opened, output);
        } finally {
          try {
            await opened.close();
          } finally {
            release();
          }
        }
      },
    };
  }

  /**
   * A bundle holds one folder per media type, which must be a valid upload: at most
   * EXPORT_ROWS_PER_FILE files (the type's own export splits more into several zips, which a bundle
   * has no place for).
   */
  private async checkMediaFit(snapshot: RecordSnapshot): Promise<void> {
    for (const declaration of OBJECT_TYPES) {
      if (declaration.file !== 'zip') continue;
      const count = await snapshot.count(declaration, EXPORT_ROWS_PER_FILE + 1);
      if (count > EXPORT_ROWS_PER_FILE) {
        throw new BulkopsError(
          ErrorCode.TooManyFiles,
          `The organization has more than ${EXPORT_ROWS_PER_FILE} ${declaration.label} objects, more than one bundle folder may hold; export them with GET /v1/objects/${declaration.type}/export.`,
          { object: declaration.type, limit: EXPORT_ROWS_PER_FILE },
        );
      }
    }
  }

  private async write(snapshot: RecordSnapshot, output: Writable): Promise<void> {
    const zip = new ZipWriter({ mtime: ENTRY_TIME });
    const piping = pipeline(zip.output, output);
    try {
      for (const declaration of OBJECT_TYPES) {
        switch (declaration.file) {
          case 'csv':
            await this.csvExport.addTo(zip, snapshot, declaration);
            break;
          case 'zip':
            await this.mediaExport.addTo(zip, snapshot, declaration);
            break;
        }
      }
      await zip.end();
    } catch (error) {
      zip.output.destroy(error as Error);
      // A reader that went away is the cause to report (sendDownload recognises it), not its effect.
      throw await piping.then(
        () => error,
        (failure: unknown) => failure,
      );
    }
    await piping;
  }
}
