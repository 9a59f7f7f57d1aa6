import { Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Injectable } from '@nestjs/common';
import {
  batchChunks,
  createCsvPartsWriter,
  createCsvWriter,
  createCsvZipWriter,
  safeCells,
  type ZipWriter,
} from '@bulkops/csv';
import {
  ObjectRecordsRepository,
  type RecordExport,
  type RecordSnapshot,
  type StoredRecord,
} from '@bulkops/database';
import { exportCells, type NameLookup, type ObjectDeclaration } from '@bulkops/objects';
import type { Download } from './download';
import { ExportLimiter } from './export-limiter';

/**
 * Records per exported CSV file: the import limit per file (objects.md §1.1), so every part of an
 * export is a valid upload.
 */
export const EXPORT_ROWS_PER_FILE = 5000;

/**
 * The export of a CSV object type (spec/api.md, objects.md §1.9): every record of the organization in
 * key order, each column in canonical form, formula-like cells neutralised, Action empty. Up to
 * EXPORT_ROWS_PER_FILE records: one CSV `{type}.csv`; more: `{type}.zip` of `{type}-001.csv`, … .
 * Streamed from a Postgres cursor through the CSV (and zip) writer into the response.
 */
@Injectable()
export class CsvExportService {
  constructor(
    private readonly records: ObjectRecordsRepository,
    private readonly limiter: ExportLimiter,
  ) {}

  async open(orgId: string, declaration: ObjectDeclaration): Promise<Download> {
    const release = this.limiter.take();
    let snapshot: RecordExport;
    try {
      snapshot = await this.records.openExport(orgId, declaration, EXPORT_ROWS_PER_FILE + 1);
    } catch (error) {
      release();
      throw error;
    }
    const zipped = snapshot.count > EXPORT_ROWS_PER_FILE;
    return {
      fileName: `${declaration.type}.${zipped ? 'zip' : 'csv'}`,
      contentType: zipped ? 'application/zip' : 'text/csv; charset=utf-8',
      writeTo: async (output: Writable) => {
        try {
          const file = zipped ? this.zipWriter(declaration) : this.csvWriter(declaration);
          // Rows are tiny; batching them makes one socket write per 64 KB instead of one per row.
          await pipeline(
            snapshot.records,
            toExportRows(declaration, snapshot.names),
            file,
            batchChunks(),
            output,
          );
        } finally {
          try {
            await snapshot.close();
          } finally {
            release();
          }
        }
      },
    };
  }

  /**
   * Adds the type's export to `zip` as the files a zip of several types holds: `{type}.csv` when the
   * records fit one file, else `{type}-001.csv`, `{type}-002.csv`, …; each file's bytes are exactly
   * those of the type's own export (its CSV, or the parts of its zip). Resolves once every record has
   * been handed to the zip (the zip may still be writing the last part); the zip is left open.
   */
  async addTo(
    zip: ZipWriter,
    snapshot: RecordSnapshot,
    declaration: ObjectDeclaration,
  ): Promise<void> {
    const { count, names, records } = await snapshot.stream(declaration, EXPORT_ROWS_PER_FILE + 1);
    const single = count <= EXPORT_ROWS_PER_FILE;
    await pipeline(
      records,
      toExportRows(declaration, names),
      createCsvPartsWriter(zip, {
        header: declaration.header,
        rowsPerPart: EXPORT_ROWS_PER_FILE,
        partName: single ? () => `${declaration.type}.csv` : partName(declaration),
      }),
    );
  }

  private csvWriter(declaration: ObjectDeclaration): Writable {
    const csv = createCsvWriter();
    csv.write([...declaration.header]);
    return csv;
  }

  private zipWriter(declaration: ObjectDeclaration): Writable {
    return createCsvZipWriter({
      header: declaration.header,
      rowsPerPart: EXPORT_ROWS_PER_FILE,
      partName: partName(declaration),
    });
  }
}

/** The name of part `ordinal` of a type's export past EXPORT_ROWS_PER_FILE records: `team-001.csv`. */
function partName(declaration: ObjectDeclaration): (ordinal: number) => string {
  return (ordinal) => `${declaration.type}-${String(ordinal).padStart(3, '0')}.csv`;
}

/** Stored records → export rows: canonical cells, neutralised against spreadsheet formulas. */
function toExportRows(declaration: ObjectDeclaration, names: NameLookup): Transform {
  return new Transform({
    objectMode: true,
    transform(record: StoredRecord, _encoding, callback) {
      try {
        callback(null, safeCells(exportCells(declaration, record.values, names)));
      } catch (error) {
        callback(error as Error);
      }
    },
  });
}
