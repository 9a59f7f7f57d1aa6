import { PassThrough, Transform, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Injectable } from '@nestjs/common';
import { BUNDLE, REPORT_COLUMNS, getObject, type ObjectDeclaration } from '@bulkops/objects';
import { createCsvWriter, safeCells } from '@bulkops/csv';
import { RowErrorRepository, type JobEntity, type ReportedRow } from '@bulkops/database';
import { BundleErrorZip } from './bundle-error-zip';

/**
 * The error report of a job (objects.md §1.8): the header of the upload's columns (canonical
 * spelling and order), then each rejected row's original cells with Source File, Source Row and
 * Error Message. Streamed from a cursor; a job without rejected rows gets the header alone. A
 * bundle job's report is a bundle itself (see BundleErrorZip): one such CSV per type.
 */
@Injectable()
export class ErrorReportService {
  constructor(
    private readonly rowErrors: RowErrorRepository,
    private readonly bundleZip: BundleErrorZip,
  ) {}

  /** `teams.zip` → `teams-errors.csv`; a bundle's → `{stem}-errors.zip`. */
  fileName(job: JobEntity): string {
    const stem = job.fileName.replace(/\.[^.]*$/, '') || job.object;
    return `${stem}-errors.${job.object === BUNDLE ? 'zip' : 'csv'}`;
  }

  contentType(job: JobEntity): string {
    return job.object === BUNDLE ? 'application/zip' : 'text/csv; charset=utf-8';
  }

  async write(job: JobEntity, output: Writable): Promise<void> {
    if (job.object === BUNDLE) {
      return this.bundleZip.write(job, output, (declaration, header) =>
        this.csvOf(job, declaration, header, declaration.type),
      );
    }
    const declaration = getObject(job.object);
    await this.writeCsv(job, declaration, job.columns ?? [...declaration.header], null, output);
  }

  /** One type's report as a stream, for a zip entry that opens it when the zip gets there. */
  private csvOf(
    job: JobEntity,
    declaration: ObjectDeclaration,
    header: readonly string[],
    object: string,
  ): Readable {
    const out = new PassThrough();
    this.writeCsv(job, declaration, header, object, out).catch((error: Error) =>
      out.destroy(error),
    );
    return out;
  }

  private async writeCsv(
    job: JobEntity,
    declaration: ObjectDeclaration,
    header: readonly string[],
    object: string | null,
    output: Writable,
  ): Promise<void> {
    const positions = header.map((name) => declaration.header.indexOf(name));
    const csv = createCsvWriter();
    csv.write([...header, ...REPORT_COLUMNS]);
    const { rows, release } = await this.rowErrors.stream(job.organizationId, job.id, object);
    try {
      const toCells = new Transform({
        objectMode: true,
        transform(row: ReportedRow, _encoding, callback) {
          const cells = positions.map((p) => row.cells[p] ?? '');
          // A media row without a manifest line has no Source Row (objects.md §17).
          const sourceRow = row.source_row === null ? '' : String(row.source_row);
          // File names are the uploader's (`=2+5.csv` is a valid zip entry) and messages quote
          // values: every cell written here is neutralised, not only the uploaded ones.
          callback(null, safeCells([...cells, row.file_name, sourceRow, row.message]));
        },
      });
      await pipeline(rows, toCells, csv, output);
    } finally {
      await release();
    }
  }
}
