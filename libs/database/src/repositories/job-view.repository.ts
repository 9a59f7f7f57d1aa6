import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { JobStatus } from '@bulkops/contracts';
import { JobEntity, type JobFileEntity } from '../entities';
import { BUNDLE } from '@bulkops/objects';
import { ERROR_SUMMARY_SIZE, errorSummarySql } from './error-summary';
import { bundleDetailsOf, type BundleDetails } from './job-sections';

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
  /** Sections and the type being applied, of the bundle jobs among them. */
  bundles: Map<string, BundleDetails>;
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
  async filesOf(
    orgId: string,
    jobId: string,
  ): Promise<Pick<JobFileEntity, 'jobId' | 'ordinal' | 'name' | 'rows' | 'object'>[]> {
    const rows = await this.fileRows(orgId, [jobId]);
    return rows.map((f) => ({
      jobId: f.job_id,
      ordinal: f.ordinal,
      name: f.name,
      rows: f.rows,
      object: f.object,
    }));
  }

  /** job_file has no organization of its own: its job's says whose it is. */
  private async fileRows(orgId: string, jobIds: readonly string[]) {
    return this.dataSource.query<
      { job_id: string; ordinal: number; name: string; rows: number; object: string | null }[]
    >(
      `SELECT f.job_id, f.ordinal, f.name, f.rows, f.object FROM job_file f JOIN job j ON j.id = f.job_id
        WHERE j.organization_id = $1 AND f.job_id = ANY($2::uuid[]) ORDER BY f.job_id, f.ordinal`,
      [orgId, jobIds],
    );
  }

  /**
   * Loads the details of many jobs of one organization in one statement, whatever their number: one
   * round trip and one pooled connection per view, which is what many concurrent readers wait for
   * (bench/read-latency.mjs). A finished job's error summary was stored when it finished.
   */
  async details(orgId: string, jobs: readonly JobEntity[]): Promise<JobDetails> {
    const ids = jobs.map((j) => j.id);
    const unsummarised = jobs.filter((j) => (j.errorSummary ?? null) === null).map((j) => j.id);
    const adminIds = [...new Set(jobs.map((j) => j.administratorId))];
    const [row] = await this.dataSource.query<
      {
        admins: { id: string; name: string; email: string }[];
        files: { job_id: string; name: string; rows: number }[];
        summaries: { job_id: string; message: string; count: number }[];
      }[]
    >(
      `SELECT
         (SELECT coalesce(json_agg(json_build_object('id', a.id, 'name', a.name, 'email', a.email)), '[]')
            FROM administrator a WHERE a.organization_id = $1 AND a.id = ANY($3::uuid[])) AS admins,
         (SELECT coalesce(json_agg(json_build_object('job_id', f.job_id, 'name', f.name, 'rows', f.rows)
                                   ORDER BY f.job_id, f.ordinal), '[]')
            FROM job_file f JOIN job j ON j.id = f.job_id
           WHERE j.organization_id = $1 AND f.job_id = ANY($2::uuid[])) AS files,
         (SELECT coalesce(json_agg(json_build_object('job_id', s.job_id, 'message', s.message, 'count', s.count)
                                   ORDER BY s.job_id, s.rank), '[]')
            FROM (SELECT job_id, message, count(*)::int AS count,
                         row_number() OVER (PARTITION BY job_id ORDER BY count(*) DESC, message) AS rank
                    FROM row_error WHERE organization_id = $1 AND job_id = ANY($4::uuid[])
                   GROUP BY job_id, message) s
           WHERE s.rank <= ${ERROR_SUMMARY_SIZE}) AS summaries`,
      [orgId, ids, adminIds, unsummarised],
    );
    const summaries = groupByJob(row.summaries, (s) => ({ message: s.message, count: s.count }));
    for (const job of jobs) if (job.errorSummary) summaries.set(job.id, job.errorSummary);
    return {
      submitters: new Map(row.admins.map((a) => [a.id, { name: a.name, email: a.email }])),
      files: groupByJob(row.files, (f) => ({ name: f.name, rows: f.rows })),
      summaries,
      bundles: await this.bundlesOf(orgId, jobs),
    };
  }

  /**
   * One job of one organization with everything its view needs, in one statement: under many
   * concurrent readers each round trip is paid by every request.
   */
  async findView(
    orgId: string,
    jobId: string,
  ): Promise<{ job: JobEntity; details: JobDetails } | null> {
    const { entities, raw } = await this.dataSource
      .getRepository(JobEntity)
      .createQueryBuilder('j')
      .addSelect(
        `(SELECT json_build_object('name', a.name, 'email', a.email) FROM administrator a WHERE a.id = j.administrator_id)`,
        'submitter',
      )
      .addSelect(
        `(SELECT coalesce(json_agg(json_build_object('name', f.name, 'rows', f.rows) ORDER BY f.ordinal), '[]')
            FROM job_file f WHERE f.job_id = j.id)`,
        'files',
      )
      .addSelect(
        `coalesce(j.error_summary, ${errorSummarySql('j.id', 'j.organization_id')})`,
        'summary',
      )
      .where('j.id = :jobId AND j.organization_id = :orgId', { jobId, orgId })
      .getRawAndEntities<{
        submitter: { name: string; email: string } | null;
        files: { name: string; rows: number }[];
        summary: { message: string; count: number }[];
      }>();
    const [job] = entities;
    const [extra] = raw;
    if (!job || !extra) return null;
    return {
      job,
      details: {
        submitters: new Map(extra.submitter ? [[job.administratorId, extra.submitter]] : []),
        files: new Map([[job.id, extra.files]]),
        summaries: new Map([[job.id, extra.summary]]),
        bundles: await this.bundlesOf(orgId, [job]),
      },
    };
  }

  /** A second statement only when some of the jobs are bundles. */
  private async bundlesOf(
    orgId: string,
    jobs: readonly JobEntity[],
  ): Promise<Map<string, BundleDetails>> {
    const ids = jobs.filter((j) => j.object === BUNDLE).map((j) => j.id);
    return bundleDetailsOf(this.dataSource.manager, orgId, ids);
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
