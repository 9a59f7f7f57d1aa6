import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  ACTIVE_JOB_STATUSES,
  JobAlreadyActiveError,
  JobStatus,
  type JobFailure,
  type JobMode,
} from '@bulkops/contracts';
import { JobEntity, JobFileEntity } from '../entities';
import { uniqueViolation } from '../pg-errors';

/** A new job as the gateway records it. */
export interface NewJob {
  id: string;
  orgId: string;
  adminId: string;
  object: string;
  mode: JobMode;
  fileName: string;
  fileSize: number;
  uploadKey: string;
  idempotencyKey: string | null;
  /** sha256 (hex) of the upload's bytes, computed while they streamed in. */
  fileSha256?: string | null;
}

/** Filters of `GET /v1/jobs`. */
export interface JobListQuery {
  limit: number;
  before?: { submittedAt: Date; id: string };
  status?: JobStatus;
  object?: string;
}

/** Ledger totals of a job. */
export interface LedgerTotals {
  chunks: number;
  rows: number;
  created: number;
  updated: number;
  deleted: number;
  unchanged: number;
  failed: number;
}

/** What a job view needs besides the job row: submitter, files, most frequent errors. */
export interface JobDetails {
  submitters: Map<string, { name: string; email: string }>;
  files: Map<string, { name: string; rows: number }[]>;
  summaries: Map<string, { message: string; count: number }[]>;
}

const ACTIVE = ACTIVE_JOB_STATUSES.map((s) => `'${s}'`).join(', ');

/** How many of a job's most frequent row-error messages its view lists. */
export const ERROR_SUMMARY_SIZE = 10;

/** The most frequent messages of the job `$1` as a JSON array, most frequent first. */
const SUMMARY_OF_JOB = `(SELECT coalesce(json_agg(json_build_object('message', s.message, 'count', s.count)
                                ORDER BY s.count DESC, s.message), '[]')
     FROM (SELECT message, count(*)::int AS count FROM row_error WHERE job_id = $1
            GROUP BY message ORDER BY count(*) DESC, message LIMIT ${ERROR_SUMMARY_SIZE}) s)`;

/** Jobs: insertion under the one-active-job rule, progress, and final states. */
@Injectable()
export class JobRepository {
  constructor(private readonly dataSource: DataSource) {}

  private repo(manager?: EntityManager) {
    return (manager ?? this.dataSource.manager).getRepository(JobEntity);
  }

  /**
   * Inserts a NEW job. The partial unique index over active jobs backs up the Redis lock: if it
   * fires, the answer is the same JOB_ALREADY_ACTIVE the lock would have given.
   */
  async insertActive(job: NewJob): Promise<JobEntity> {
    const entity = this.repo().create({
      id: job.id,
      organizationId: job.orgId,
      administratorId: job.adminId,
      object: job.object,
      mode: job.mode,
      status: JobStatus.New,
      fileName: job.fileName,
      fileSize: job.fileSize,
      uploadKey: job.uploadKey,
      idempotencyKey: job.idempotencyKey,
      fileSha256: job.fileSha256 ?? null,
      submittedAt: new Date(),
      progressedAt: new Date(),
      totalRows: 0,
      processedRows: 0,
      createdRows: 0,
      updatedRows: 0,
      deletedRows: 0,
      unchangedRows: 0,
      failedRows: 0,
    });
    try {
      await this.repo().insert(entity);
      return entity;
    } catch (error) {
      const constraint = uniqueViolation(error);
      if (constraint === 'uq_job_org_active') {
        const active = await this.findActive(job.orgId);
        throw new JobAlreadyActiveError(active?.id ?? 'unknown');
      }
      throw error;
    }
  }

  /** Removes a job that never got going (its enqueue failed), so the client can simply retry. */
  async deleteNew(jobId: string): Promise<void> {
    await this.repo().delete({ id: jobId, status: JobStatus.New });
  }

  async findById(jobId: string, manager?: EntityManager): Promise<JobEntity | null> {
    return this.repo(manager).findOneBy({ id: jobId });
  }

  /** A job of one organization; another organization's id finds nothing. */
  async findForOrg(orgId: string, jobId: string): Promise<JobEntity | null> {
    return this.repo().findOneBy({ id: jobId, organizationId: orgId });
  }

  async findByIdempotencyKey(orgId: string, key: string): Promise<JobEntity | null> {
    return this.repo().findOneBy({ organizationId: orgId, idempotencyKey: key });
  }

  async findActive(orgId: string): Promise<JobEntity | null> {
    return this.repo()
      .createQueryBuilder('j')
      .where(`j.organization_id = :orgId AND j.status IN (${ACTIVE})`, { orgId })
      .getOne();
  }

  /** Most recent first, keyset-paged on (submitted_at, id). */
  async list(orgId: string, query: JobListQuery): Promise<JobEntity[]> {
    const qb = this.repo()
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

  /** Every active job (for the reaper). */
  async listActive(): Promise<JobEntity[]> {
    return this.repo().createQueryBuilder('j').where(`j.status IN (${ACTIVE})`).getMany();
  }

  async filesOf(jobId: string): Promise<JobFileEntity[]> {
    return this.dataSource
      .getRepository(JobFileEntity)
      .find({ where: { jobId }, order: { ordinal: 'ASC' } });
  }

  /** Ingest picked the job up. Answers the job, or null when it is no longer active. */
  async markStarted(jobId: string): Promise<JobEntity | null> {
    await this.dataSource.query(
      `UPDATE job SET status = '${JobStatus.InProgress}', started_at = coalesce(started_at, now()), progressed_at = now()
        WHERE id = $1 AND status IN (${ACTIVE})`,
      [jobId],
    );
    const job = await this.findById(jobId);
    return job && job.status === JobStatus.InProgress ? job : null;
  }

  /** A sign of life from a long step (reading a big upload), so the reaper leaves the job alone. */
  async touch(jobId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE job SET progressed_at = now() WHERE id = $1 AND status IN (${ACTIVE})`,
      [jobId],
    );
  }

  /** Ingest found the upload unusable: status turns it FAILED on its next look. */
  async recordIngestFailure(jobId: string, failure: JobFailure): Promise<void> {
    await this.dataSource.query(
      `UPDATE job SET ingested_at = now(), progressed_at = now(), failure_code = $2, failure_message = $3, failure_file = $4
        WHERE id = $1 AND status IN (${ACTIVE})`,
      [jobId, failure.code, failure.message, failure.file],
    );
  }

  /** Ingest passed the whole upload: the chunks exist and may now be applied. */
  async recordRelease(
    manager: EntityManager,
    jobId: string,
    release: {
      chunkCount: number;
      totalRows: number;
      columns: string[];
      files: { name: string; rows: number }[];
    },
  ): Promise<void> {
    await manager.query(
      `UPDATE job SET ingested_at = now(), progressed_at = now(), chunk_count = $2, total_rows = $3, columns = $4
        WHERE id = $1`,
      [jobId, release.chunkCount, release.totalRows, release.columns],
    );
    await manager.query(`DELETE FROM job_file WHERE job_id = $1`, [jobId]);
    if (release.files.length > 0) {
      await manager.query(
        `INSERT INTO job_file (job_id, ordinal, name, rows)
         SELECT $1, f.ordinal, f.name, f.rows FROM json_to_recordset($2::json) AS f(ordinal int, name text, rows int)`,
        [jobId, JSON.stringify(release.files.map((f, ordinal) => ({ ordinal, ...f })))],
      );
    }
  }

  /** Locks the job row for the status decision that follows, in the caller's transaction. */
  async lockForUpdate(manager: EntityManager, jobId: string): Promise<JobEntity | null> {
    return manager
      .getRepository(JobEntity)
      .createQueryBuilder('j')
      .setLock('pessimistic_write')
      .where('j.id = :jobId', { jobId })
      .getOne();
  }

  /** Sums the ledger of a job. */
  async ledgerTotals(manager: EntityManager, jobId: string): Promise<LedgerTotals> {
    const [row] = await manager.query<LedgerTotals[]>(
      `SELECT count(*)::int AS chunks, coalesce(sum(rows), 0)::int AS rows, coalesce(sum(created), 0)::int AS created,
              coalesce(sum(updated), 0)::int AS updated, coalesce(sum(deleted), 0)::int AS deleted,
              coalesce(sum(unchanged), 0)::int AS unchanged, coalesce(sum(failed), 0)::int AS failed
         FROM chunk_ledger WHERE job_id = $1`,
      [jobId],
    );
    return row;
  }

  /** Writes counts (and, when given, the final status) derived from the ledger. */
  async saveProgress(
    manager: EntityManager,
    jobId: string,
    totals: LedgerTotals,
    finalStatus: JobStatus | null,
    touched: boolean,
  ): Promise<void> {
    await manager.query(
      `UPDATE job SET processed_rows = $2, created_rows = $3, updated_rows = $4, deleted_rows = $5, unchanged_rows = $6,
              failed_rows = $7,
              progressed_at = CASE WHEN $9 THEN now() ELSE progressed_at END,
              status = coalesce($8, status),
              finished_at = CASE WHEN $8::text IS NULL THEN finished_at ELSE now() END,
              -- A finished job's row errors never change: count them once, not on every read.
              error_summary = CASE WHEN $8::text IS NULL THEN error_summary ELSE ${SUMMARY_OF_JOB}::jsonb END
        WHERE id = $1`,
      [
        jobId,
        totals.rows,
        totals.created,
        totals.updated,
        totals.deleted,
        totals.unchanged,
        totals.failed,
        finalStatus,
        touched,
      ],
    );
  }

  /**
   * Loads the details of many jobs in one statement, whatever their number: one round trip and one
   * pooled connection per job view, which is what many concurrent readers of a job wait for.
   */
  async details(jobs: readonly JobEntity[]): Promise<JobDetails> {
    const ids = jobs.map((j) => j.id);
    const unsummarised = jobs.filter((j) => j.errorSummary === null).map((j) => j.id);
    const adminIds = [...new Set(jobs.map((j) => j.administratorId))];
    const [row] = await this.dataSource.query<
      {
        admins: { id: string; name: string; email: string }[];
        files: { jobId: string; name: string; rows: number }[];
        summaries: { jobId: string; message: string; count: number }[];
      }[]
    >(
      `SELECT
         (SELECT coalesce(json_agg(json_build_object('id', a.id, 'name', a.name, 'email', a.email)), '[]')
            FROM administrator a WHERE a.id = ANY($2::uuid[])) AS admins,
         (SELECT coalesce(json_agg(json_build_object('jobId', f.job_id, 'name', f.name, 'rows', f.rows)
                                   ORDER BY f.job_id, f.ordinal), '[]')
            FROM job_file f WHERE f.job_id = ANY($1::uuid[])) AS files,
         (SELECT coalesce(json_agg(json_build_object('jobId', s.job_id, 'message', s.message, 'count', s.count)
                                   ORDER BY s.job_id, s.rank), '[]')
            FROM (SELECT job_id, message, count(*)::int AS count,
                         row_number() OVER (PARTITION BY job_id ORDER BY count(*) DESC, message) AS rank
                    FROM row_error WHERE job_id = ANY($3::uuid[]) GROUP BY job_id, message) s
           WHERE s.rank <= ${ERROR_SUMMARY_SIZE}) AS summaries`,
      [ids, adminIds, unsummarised],
    );
    const group = <T extends { jobId: string }, R>(rows: T[], map: (row: T) => R) => {
      const out = new Map<string, R[]>();
      for (const item of rows) out.set(item.jobId, [...(out.get(item.jobId) ?? []), map(item)]);
      return out;
    };
    const summaries = group(row.summaries, (s) => ({ message: s.message, count: s.count }));
    for (const job of jobs) if (job.errorSummary) summaries.set(job.id, job.errorSummary);
    return {
      submitters: new Map(row.admins.map((a) => [a.id, { name: a.name, email: a.email }])),
      files: group(row.files, (f) => ({ name: f.name, rows: f.rows })),
      summaries,
    };
  }

  /**
   * One job of one organization with everything its view needs, in one statement: under many
   * concurrent readers each round trip is paid by every request (bench/read-latency.mjs).
   */
  async findViewForOrg(
    orgId: string,
    jobId: string,
  ): Promise<{ job: JobEntity; details: JobDetails } | null> {
    const { entities, raw } = await this.repo()
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
        `coalesce(j.error_summary, ${SUMMARY_OF_JOB.replace('$1', 'j.id')}::jsonb)`,
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
      },
    };
  }

  /** Ends a job that stopped making progress. */
  async failStalled(manager: EntityManager, jobId: string, failure: JobFailure): Promise<void> {
    await manager.query(
      `UPDATE job SET status = '${JobStatus.Failed}', finished_at = now(), failure_code = $2, failure_message = $3, failure_file = $4
        WHERE id = $1 AND status IN (${ACTIVE})`,
      [jobId, failure.code, failure.message, failure.file],
    );
  }
}
