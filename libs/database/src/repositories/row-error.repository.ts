import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { RowSource } from './chunk.repository';
import { streamQuery, type StreamedRows } from './stream-query';

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

/**
 * Rejected rows: written with their chunk, read back as the error report. Every method is scoped to
 * one organization, so another organization's job id finds nothing.
 */
@Injectable()
export class RowErrorRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** One INSERT for all rejected rows of a chunk; nothing when the job is not the organization's. */
  async insertMany(
    manager: EntityManager,
    orgId: string,
    jobId: string,
    rows: readonly RejectedRow[],
  ): Promise<void> {
    if (rows.length === 0) return;
    await manager.query(
      `INSERT INTO row_error (organization_id, job_id, file_ordinal, source_row, cells, codes, message, source_file, source_line)
       SELECT j.organization_id, j.id, r.file_ordinal, r.line, r.cells, r.codes, r.message, r.source_file, r.source_line
         FROM job j, json_to_recordset($3::json)
           AS r(file_ordinal int, line int, cells json, codes text[], message text, source_file text, source_line int)
        WHERE j.organization_id = $1 AND j.id = $2`,
      [
        orgId,
        jobId,
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

  /**
   * Streams a job's rejected rows in file and row order from a server-side cursor, so a report of
   * any size passes through in constant memory. The caller must consume or destroy the stream.
   */
  async stream(orgId: string, jobId: string, object: string | null = null): Promise<StreamedRows> {
    return streamQuery(
      this.dataSource,
      `SELECT coalesce(e.source_file, f.name) AS file_name,
                CASE WHEN e.source_file IS NULL THEN e.source_row ELSE e.source_line END AS source_row, e.cells, e.message
           FROM row_error e JOIN job_file f ON f.job_id = e.job_id AND f.ordinal = e.file_ordinal
          WHERE e.organization_id = $1 AND e.job_id = $2 AND ($3::text IS NULL OR f.object = $3)
          ORDER BY e.file_ordinal, e.source_row`,
      [orgId, jobId, object],
    );
  }

  /** The zip entries (Source File) of a job's rejected rows of one type that came from one. */
  async rejectedSources(orgId: string, jobId: string, object: string): Promise<string[]> {
    const rows: { source_file: string }[] = await this.dataSource.query(
      `SELECT DISTINCT e.source_file FROM row_error e
         JOIN job_file f ON f.job_id = e.job_id AND f.ordinal = e.file_ordinal
        WHERE e.organization_id = $1 AND e.job_id = $2 AND f.object = $3 AND e.source_file IS NOT NULL`,
      [orgId, jobId, object],
    );
    return rows.map((r) => r.source_file);
  }

  /**
   * A bundle job's object types with the columns of their files (the header of each type's error
   * file) and how many rows of each were rejected, in file order.
   */
  async typesOf(
    orgId: string,
    jobId: string,
  ): Promise<{ object: string; columns: string[]; rejected: number }[]> {
    return this.dataSource.query(
      `SELECT f.object, array_agg(DISTINCT c) FILTER (WHERE c IS NOT NULL) AS columns,
              (SELECT count(*)::int FROM row_error e JOIN job_file g ON g.job_id = e.job_id AND g.ordinal = e.file_ordinal
                WHERE e.organization_id = $1 AND e.job_id = $2 AND g.object = f.object) AS rejected
         FROM job_file f JOIN job j ON j.id = f.job_id
         LEFT JOIN LATERAL unnest(f.columns) AS c ON true
        WHERE j.organization_id = $1 AND f.job_id = $2
        GROUP BY f.object ORDER BY min(f.ordinal)`,
      [orgId, jobId],
    );
  }
}
