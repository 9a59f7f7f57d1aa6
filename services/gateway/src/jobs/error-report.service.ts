import { pipeline } from 'node:stream/promises';
import { Transform, type Writable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { REPORT_COLUMNS, getObject } from '@bulkops/objects';
import { createCsvWriter, safeCells } from '@bulkops/csv';
import { RowErrorRepository, type JobEntity, type ReportedRow } from '@bulkops/database';

/**
 * The error report of a job (objects.md §1.8): the header of the upload's columns (canonical
 * spelling and order), then each rejected row's original cells with Source File, Source Row and
 * Error Message. Streamed from a cursor; a job without rejected rows gets the header alone.
 */
@Injectable()
export class ErrorReportService {
  constructor(private readonly rowErrors: RowErrorRepository) {}

  /** `teams.zip` → `teams-errors.csv`. */
  fileName(job: JobEntity): string {
    return `${job.fileName.replace(/\.[^.]*$/, '') || job.object}-errors.csv`;
  }

  async write(job: JobEntity, output: Writable): Promise<void> {
    const declaration = getObject(job.object);
    const header = job.columns ?? [...declaration.header];
    const positions = header.map((name) => declaration.header.indexOf(name));
    const csv = createCsvWriter();
    csv.write([...header, ...REPORT_COLUMNS]);
    const { rows, release } = await this.rowErrors.stream(job.organizationId, job.id);
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
