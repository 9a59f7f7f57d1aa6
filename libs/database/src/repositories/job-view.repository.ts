import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { JobStatus } from '@bulkops/contracts';
import { JobEntity, type JobFileEntity } from '../entities';

/** Filters of `GET /v1/jobs`. */
export interface JobListQuery {
  limit: number;
  before?: { submittedAt: Date; id: string };
  status?: JobStatus;
  object?: string;
}

/** What a job view needs besides the job row: submitter, files, most frequent errors. */
export interface JobDetails {
  submitters: Map<string, { name: string; email: string }>;
  files: Map<string, { name: string; rows: number }[]>;
  summaries: Map<string, { message: string; count: number }[]>;
}

/**
 * The gateway's read model of jobs: pages of an organization's jobs, and what their views show
 * besides the job row. It only reads; the life of a job is JobRepository's.
 */
@Injectable()
export class JobViewRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Most recent first, keyset-paged on (submitted_at, id). */
  async list(orgId: string, query: JobListQuery): Promise<JobEntity[]> {
    const qb = this.dataSource
      .getRepository(JobEntity)
      .createQueryBuilder('j')
      .where('j.organization_id = :orgId', { orgId })
      .orderBy('j.submitted_at', 'DESC')
      .addOrderBy('j.id', 'DESC')
      .limit(query.limit);
    if (query.before) {
      qb.andWhere('(j.submitted_at, j.id) < (:at, :id)', {
        at: query.before.submittedAt,
        id: query.before.id,
      });
    }
    if (query.status) qb.andWhere('j.status = :status', { status: query.status });
    if (query.object) qb.andWhere('j.object = :object', { object: query.object });
    return qb.getMany();
  }

  /** The files of a job's upload in upload order. */
  async filesOf(orgId: string, jobId: string): Promise<JobFileEntity[]> {
    const rows = await this.fileRows(orgId, [jobId]);
    return rows.map((f) => ({ jobId: f.job_id, ordinal: f.ordinal, name: f.name, rows: f.rows }));
  }

  /** Loads the details of many jobs of one organization in three queries, whatever their number. */
  async details(
    orgId: string,
    jobs: readonly JobEntity[],
    summaryLimit: number,
  ): Promise<JobDetails> {
    const ids = jobs.map((j) => j.id);
    const [submitters, files, summaries] = await Promise.all([
      this.submitters(orgId, [...new Set(jobs.map((j) => j.administratorId))]),
      this.files(orgId, ids),
      this.summaries(orgId, ids, summaryLimit),
    ]);
    return { submitters, files, summaries };
  }

  private async submitters(
    orgId: string,
    adminIds: readonly string[],
  ): Promise<JobDetails['submitters']> {
    const rows = await this.dataSource.query<{ id: string; name: string; email: string }[]>(
      `SELECT id, name, email FROM administrator WHERE organization_id = $1 AND id = ANY($2::uuid[])`,
      [orgId, adminIds],
    );
    return new Map(rows.map((a) => [a.id, { name: a.name, email: a.email }]));
  }

  private async files(orgId: string, jobIds: readonly string[]): Promise<JobDetails['files']> {
    const rows = await this.fileRows(orgId, jobIds);
    return groupByJob(rows, (f) => ({ name: f.name, rows: f.rows }));
  }

  /** job_file has no organization of its own: its job's says whose it is. */
  private async fileRows(orgId: string, jobIds: readonly string[]) {
    return this.dataSource.query<{ job_id: string; ordinal: number; name: string; rows: number }[]>(
      `SELECT f.job_id, f.ordinal, f.name, f.rows FROM job_file f JOIN job j ON j.id = f.job_id
        WHERE j.organization_id = $1 AND f.job_id = ANY($2::uuid[]) ORDER BY f.job_id, f.ordinal`,
      [orgId, jobIds],
    );
  }

  private async summaries(
    orgId: string,
    jobIds: readonly string[],
    limit: number,
  ): Promise<JobDetails['summaries']> {
    const rows = await this.dataSource.query<{ job_id: string; message: string; count: number }[]>(
      `SELECT job_id, message, count FROM (
         SELECT job_id, message, count(*)::int AS count,
                row_number() OVER (PARTITION BY job_id ORDER BY count(*) DESC, message) AS rank
           FROM row_error WHERE organization_id = $1 AND job_id = ANY($2::uuid[])
          GROUP BY job_id, message) ranked
        WHERE rank <= $3 ORDER BY job_id, rank`,
      [orgId, jobIds, limit],
    );
    return groupByJob(rows, (s) => ({ message: s.message, count: s.count }));
  }
}

/** Rows grouped by their job, in the order they came. */
function groupByJob<T extends { job_id: string }, R>(
  rows: readonly T[],
  map: (row: T) => R,
): Map<string, R[]> {
  const out = new Map<string, R[]>();
  for (const row of rows) out.set(row.job_id, [...(out.get(row.job_id) ?? []), map(row)]);
  return out;
}
