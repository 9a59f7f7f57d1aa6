import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Readable } from 'node:stream';
import type { RowSource } from './chunk.repository';

/** A rejected row to record. */
export interface RejectedRow {
  fileOrdinal: number;
  line: number;
  cells: (string | null)[];
  codes: string[];
  message: string;
  /** Where a media row came from, when that is not a line of its job file. */
  source?: RowSource;
}

/** One line of the error report, as streamed: Source File, Source Row (null: no line), cells, message. */
export interface ReportedRow {
  file_name: string;
  source_row: number | null;
  cells: (string | null)[];
  message: string;
}

/** Rejected rows: written with their chunk, read back as the error report and its summary. */
@Injectable()
export class RowErrorRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** One INSERT for all rejected rows of a chunk. */
  async insertMany(
    manager: EntityManager,
    jobId: string,
    orgId: string,
    rows: readonly RejectedRow[],
  ): Promise<void> {
    if (rows.length === 0) return;
    await manager.query(
      `INSERT INTO row_error (job_id, organization_id, file_ordinal, source_row, cells, codes, message, source_file, source_line)
       SELECT $1, $2, r.file_ordinal, r.line, r.cells, r.codes, r.message, r.source_file, r.source_line
         FROM json_to_recordset($3::json)
           AS r(file_ordinal int, line int, cells json, codes text[], message text, source_file text, source_line int)`,
      [
        jobId,
        orgId,
        JSON.stringify(
          rows.map((r) => ({
            file_ordinal: r.fileOrdinal,
            line: r.line,
            cells: r.cells,
            codes: r.codes,
            message: r.message,
            source_file: r.source?.file ?? null,
            source_line: r.source?.line ?? null,
          })),
        ),
      ],
    );
  }

  /** The most frequent messages of a job. */
  async summary(jobId: string, limit: number): Promise<{ message: string; count: number }[]> {
    return this.dataSource.query(
      `SELECT message, count(*)::int AS count FROM row_error WHERE job_id = $1
        GROUP BY message ORDER BY count(*) DESC, message LIMIT $2`,
      [jobId, limit],
    );
  }

  /**
   * Streams a job's rejected rows in file and row order from a server-side cursor, so a report of
   * any size passes through in constant memory. The caller must consume or destroy the stream.
   */
  async stream(jobId: string): Promise<{ rows: Readable; release: () => Promise<void> }> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    const rows = await runner.stream(
      `SELECT coalesce(e.source_file, f.name) AS file_name,
              CASE WHEN e.source_file IS NULL THEN e.source_row ELSE e.source_line END AS source_row, e.cells, e.message
         FROM row_error e JOIN job_file f ON f.job_id = e.job_id AND f.ordinal = e.file_ordinal
        WHERE e.job_id = $1 ORDER BY e.file_ordinal, e.source_row`,
      [jobId],
    );
    return { rows, release: () => runner.release() };
  }
}
