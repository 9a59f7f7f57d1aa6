import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager, type FindOptionsWhere } from 'typeorm';
import {
  ACTIVE_JOB_STATUSES,
  JobAlreadyActiveError,
  JobMode,
  JobStatus,
  type JobFailure,
} from '@bulkops/contracts';
import { JobEntity, JobFileEntity } from '../entities';
import { uniqueViolation } from '../pg-errors';
import { errorSummarySql } from './error-summary';
import type { LedgerTotals } from './ledger.repository';

/** A new job as the gateway records it for its organization. */
export interface NewJob {
  id: string;
  adminId: string;
  object: string;
  mode: JobMode;
  fileName: string;
  fileSize: number;
  uploadKey: string;
  idempotencyKey: string | null;
  /** sha256 (hex) of the upload's bytes, computed while they streamed in. */
  fileSha256?: string | null;
  /** For an undo job, the job it takes back. */
  undoOf?: string | null;
}

/** What ingest records when the whole upload passed: its chunks may now be applied. */
export interface JobRelease {
  chunkCount: number;
  totalRows: number;
  columns: string[];
  /** `object` and `columns` default to the job's (a single-type upload's files have no others). */
  files: { name: string; rows: number; object?: string; columns?: string[] }[];
}

/** Postgres' clock, not this process's: every timestamp of a job comes from one clock. */
const now = () => 'now()';

/**
 * The life of a job: insertion under the one-active-job rule, the steps of ingest, progress and
 * final states. Every method is scoped to one organization by its first argument, so another
 * organization's job id finds and changes nothing; the reaper's look at every organization is the
 * one deliberate exception and says so in its name.
 */
@Injectable()
export class JobRepository {
  constructor(private readonly dataSource: DataSource) {}

  private repo(manager: EntityManager = this.dataSource.manager) {
    return manager.getRepository(JobEntity);
  }

  /** One job of one organization, and only while it is active when `activeOnly`. */
  private where(orgId: string, jobId: string, activeOnly = false): FindOptionsWhere<JobEntity> {
    return {
      id: jobId,
      organizationId: orgId,
      ...(activeOnly ? { status: In([...ACTIVE_JOB_STATUSES]) } : {}),
    };
  }

  /**
   * Inserts a NEW job. The partial unique index over active jobs backs up the Redis lock: if it
   * fires, the answer is the same JOB_ALREADY_ACTIVE the lock would have given.
   */
  async insertActive(orgId: string, job: NewJob): Promise<JobEntity> {
    const entity = this.repo().create({
      id: job.id,
      organizationId: orgId,
      administratorId: job.adminId,
      object: job.object,
      mode: job.mode,
      undoOf: job.undoOf ?? null,
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
      if (uniqueViolation(error) !== 'uq_job_org_active') throw error;
      const active = await this.findActive(orgId);
      throw new JobAlreadyActiveError(active?.id ?? null);
    }
  }

  /** Removes a job that never got going (its enqueue failed), so the client can simply retry. */
  async deleteNew(orgId: string, jobId: string): Promise<void> {
    await this.repo().delete({ ...this.where(orgId, jobId), status: JobStatus.New });
  }

  /** A job of one organization, in the caller's transaction when given one. */
  async find(orgId: string, jobId: string, manager?: EntityManager): Promise<JobEntity | null> {
    return this.repo(manager).findOneBy(this.where(orgId, jobId));
  }

  async findByIdempotencyKey(orgId: string, key: string): Promise<JobEntity | null> {
    return this.repo().findOneBy({ organizationId: orgId, idempotencyKey: key });
  }

  /**
   * The latest job of the organization that changed objects after `previewId` finished (any mode but
   * validate, with at least one row created, updated or deleted), or null: a preview such a job
   * followed no longer shows what an apply of its upload would change. Compared in Postgres, whose
   * timestamps are finer than a Date.
   */
  async changedObjectsAfter(orgId: string, previewId: string): Promise<string | null> {
    const [row] = await this.dataSource.query<{ id: string }[]>(
      `SELECT j.id FROM job j, job p
        WHERE p.organization_id = $1 AND p.id = $2 AND j.organization_id = $1 AND j.id <> p.id
          AND j.mode <> 'validate' AND j.finished_at > p.finished_at
          AND j.created_rows + j.updated_rows + j.deleted_rows > 0
        ORDER BY j.finished_at DESC LIMIT 1`,
      [orgId, previewId],
    );
    return row?.id ?? null;
  }

  async findActive(orgId: string): Promise<JobEntity | null> {
    return this.repo().findOneBy({
      organizationId: orgId,
      status: In([...ACTIVE_JOB_STATUSES]),
    });
  }

  /**
   * Every active job of every organization: the reaper's periodic look, the one place that works
   * across organizations on purpose (each job it finds carries its organization onwards).
   */
  async listActiveAcrossOrganizations(): Promise<JobEntity[]> {
    return this.repo().findBy({ status: In([...ACTIVE_JOB_STATUSES]) });
  }

  /**
   * The organization's most recent finished job that may have changed objects: an apply or undo job
   * that did not fail (a validate job and a FAILED job change nothing). Only this job may be undone:
   * taking back an older one would skip the changes made after it. Active jobs are left out: they
   * hold the organization, which refuses anything new with JOB_ALREADY_ACTIVE anyway.
   */
  async latestChanging(orgId: string): Promise<JobEntity | null> {
    return this.repo().findOne({
      where: {
        organizationId: orgId,
        mode: In([JobMode.Apply, JobMode.Undo]),
        status: In([JobStatus.Completed, JobStatus.CompletedWithErrors, JobStatus.Cancelled]),
      },
      order: { submittedAt: 'DESC', id: 'DESC' },
    });
  }

  /** Ingest picked the job up. Answers the job, or null when it is no longer active. */
  async markStarted(orgId: string, jobId: string): Promise<JobEntity | null> {
    await this.repo().update(this.where(orgId, jobId, true), {
      status: JobStatus.InProgress,
      startedAt: () => 'coalesce(started_at, now())',
      progressedAt: now,
    });
    const job = await this.find(orgId, jobId);
    return job && job.status === JobStatus.InProgress ? job : null;
  }

  /** A sign of life from a long step (reading a big upload), so the reaper leaves the job alone. */
  async touch(orgId: string, jobId: string): Promise<void> {
    await this.repo().update(this.where(orgId, jobId, true), { progressedAt: now });
  }

  /**
   * Status sends the upload to ingest again (its ingest died): answers the new attempt number, for a
   * queue job id no earlier one holds. Counts as a sign of life, so the next re-send waits its turn.
   */
  async nextIngestAttempt(orgId: string, jobId: string): Promise<number | null> {
    const [rows]: [{ ingest_attempt: number }[]] = await this.dataSource.query(
      `UPDATE job SET ingest_attempt = ingest_attempt + 1, progressed_at = now()
        WHERE organization_id = $1 AND id = $2 AND status = ANY($3)
       RETURNING ingest_attempt`,
      [orgId, jobId, ACTIVE_JOB_STATUSES],
    );
    return rows[0]?.ingest_attempt ?? null;
  }

  /** Ingest found the upload unusable: status turns it FAILED on its next look. */
  async recordIngestFailure(orgId: string, jobId: string, failure: JobFailure): Promise<void> {
    await this.repo().update(this.where(orgId, jobId, true), {
      ingestedAt: now,
      progressedAt: now,
      failureCode: failure.code,
      failureMessage: failure.message,
      failureFile: failure.file,
    });
  }

  /** Ingest passed the whole upload: the chunks exist and may now be applied. */
  async recordRelease(
    manager: EntityManager,
    orgId: string,
    jobId: string,
    release: JobRelease,
  ): Promise<void> {
    const { affected } = await this.repo(manager).update(this.where(orgId, jobId), {
      ingestedAt: now,
      progressedAt: now,
      chunkCount: release.chunkCount,
      totalRows: release.totalRows,
      columns: release.columns,
    });
    // job_file rows belong to their job; a job this organization does not own gets none.
    if (!affected) return;
    await manager.getRepository(JobFileEntity).delete({ jobId });
    if (release.files.length === 0) return;
    await manager.query(
      `INSERT INTO job_file (job_id, ordinal, name, rows, object, columns)
       SELECT j.id, f.ordinal, f.name, f.rows, coalesce(f.object, j.object), coalesce(f.columns, j.columns)
         FROM job j, json_to_recordset($2::json)
           AS f(ordinal int, name text, rows int, object text, columns text[])
        WHERE j.id = $1`,
      [jobId, JSON.stringify(release.files.map((file, ordinal) => ({ ordinal, ...file })))],
    );
  }

  /** Locks the job row for the status decision that follows, in the caller's transaction. */
  async lockForUpdate(
    manager: EntityManager,
    orgId: string,
    jobId: string,
  ): Promise<JobEntity | null> {
    return this.repo(manager).findOne({
      where: this.where(orgId, jobId),
      lock: { mode: 'pessimistic_write' },
    });
  }

  /** Writes counts (and, when given, the final status) derived from the ledger. */
  async saveProgress(
    manager: EntityManager,
    orgId: string,
    jobId: string,
    totals: LedgerTotals,
    finalStatus: JobStatus | null,
    touched: boolean,
  ): Promise<void> {
    await this.repo(manager).update(this.where(orgId, jobId), {
      processedRows: totals.rows,
      createdRows: totals.created,
      updatedRows: totals.updated,
      deletedRows: totals.deleted,
      unchangedRows: totals.unchanged,
      failedRows: totals.failed,
      ...(touched ? { progressedAt: now } : {}),
      ...(finalStatus !== null
        ? {
            status: finalStatus,
            finishedAt: now,
            errorSummary: () => errorSummarySql('job.id', 'job.organization_id'),
          }
        : {}),
    });
  }

  /**
   * Records an administrator's request to cancel an active job; a repeated request keeps the first
   * time. The update waits for every chunk transaction that already checked the job (see
   * `acceptsChunks`), so once it commits no further chunk can commit. Answers what it found.
   */
  async requestCancel(
    orgId: string,
    jobId: string,
  ): Promise<'requested' | 'not-active' | 'not-found'> {
    const { affected } = await this.repo().update(this.where(orgId, jobId, true), {
      cancelRequestedAt: () => 'coalesce(cancel_requested_at, now())',
    });
    if (affected) return 'requested';
    return (await this.find(orgId, jobId)) ? 'not-active' : 'not-found';
  }

  /**
   * Whether a chunk may still commit for this job: it is active and nobody asked to cancel it. Called
   * last in the chunk's own transaction; the share lock it takes makes a concurrent cancel wait for
   * this commit, and makes this check wait for a concurrent cancel (and then see it).
   */
  async acceptsChunks(manager: EntityManager, orgId: string, jobId: string): Promise<boolean> {
    const rows: { accepts: boolean }[] = await manager.query(
      `SELECT status = ANY($3) AND cancel_requested_at IS NULL AS accepts
         FROM job WHERE organization_id = $1 AND id = $2 FOR SHARE`,
      [orgId, jobId, ACTIVE_JOB_STATUSES],
    );
    return rows[0]?.accepts === true;
  }

  /** Ends a job that stopped making progress. */
  async failStalled(
    manager: EntityManager,
    orgId: string,
    jobId: string,
    failure: JobFailure,
  ): Promise<void> {
    await this.repo(manager).update(this.where(orgId, jobId, true), {
      status: JobStatus.Failed,
      finishedAt: now,
      failureCode: failure.code,
      failureMessage: failure.message,
      failureFile: failure.file,
    });
  }
}
