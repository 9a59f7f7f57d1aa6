import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ACTIVE_JOB_STATUSES } from '@bulkops/contracts';

/** How many jobs of one object type are in one status. */
export interface JobCount {
  status: string;
  object: string;
  count: number;
}

/** The ages an operator watches over the active jobs, in seconds (null when none is active). */
export interface ActiveJobAges {
  /** Since the oldest active job was submitted. */
  oldestSeconds: number | null;
  /** Since the active job that progressed least recently last made progress. */
  longestIdleSeconds: number | null;
}

/**
 * Operator-wide reads over every organization's jobs, for metrics only (computed on scrape). This is
 * the one repository whose methods are deliberately not scoped to an organization.
 */
@Injectable()
export class JobStatsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async countsByStatusAndObject(): Promise<JobCount[]> {
    const rows = await this.dataSource.query<{ status: string; object: string; count: number }[]>(
      `SELECT status, object, count(*)::int AS count FROM job GROUP BY status, object`,
    );
    return rows;
  }

  async activeJobAges(): Promise<ActiveJobAges> {
    const [row] = await this.dataSource.query<{ oldest: number | null; idle: number | null }[]>(
      `SELECT extract(epoch FROM now() - min(submitted_at))::float8 AS oldest,
              extract(epoch FROM now() - min(progressed_at))::float8 AS idle
         FROM job WHERE status = ANY($1)`,
      [ACTIVE_JOB_STATUSES],
    );
    return { oldestSeconds: row?.oldest ?? null, longestIdleSeconds: row?.idle ?? null };
  }
}
