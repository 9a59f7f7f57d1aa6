import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import {
  BulkopsError,
  ErrorCode,
  isActiveStatus,
  JobAlreadyActiveError,
  JobMode,
  JobStatus,
} from '@bulkops/contracts';
import {
  JobChangeRepository,
  JobRepository,
  type JobEntity,
  type Principal,
} from '@bulkops/database';
import { OrgLock } from '@bulkops/mutex';
import { OBJECT_TYPES } from '@bulkops/objects';
import { JobProducer } from '@bulkops/queue';

/** How often a lock whose holder Postgres knows as finished is cleared before giving up. */
const LOCK_ROUNDS = 3;

/** `teams.csv` → `undo-teams.csv`: its error file is then `undo-teams-errors.csv`. */
function undoFileName(original: JobEntity): string {
  return `undo-${original.fileName}`;
}

/**
 * Types whose objects carry media bytes: a change record keeps their columns, not the bytes an
 * update replaced or a delete removed, so only their creation can be taken back.
 */
const MEDIA_TYPES = OBJECT_TYPES.filter((d) => d.file === 'zip');

/**
 * Starts an undo (spec/api.md `POST /v1/jobs/{id}/undo`): a new job, `mode: "undo"`, whose rows
 * ingest builds from the original job's change records instead of an upload. It runs like any job
 * (the organization's lock, chunks, ledger, counts, error file). Only the organization's most recent
 * job that changed objects may be undone, and that is checked while holding the lock, so no job can
 * start between the check and the undo's insertion.
 */
@Injectable()
export class UndoJobService {
  private readonly logger = new Logger(UndoJobService.name);

  constructor(
    private readonly jobs: JobRepository,
    private readonly changes: JobChangeRepository,
    private readonly lock: OrgLock,
    private readonly producer: JobProducer,
  ) {}

  async undo(principal: Principal, jobId: string): Promise<JobEntity> {
    const { orgId } = principal;
    const original = await this.jobs.find(orgId, jobId);
    if (!original) {
      throw new BulkopsError(ErrorCode.NotFound, 'No job has this id in your organization.');
    }
    await this.checkUndoable(original);
    const undoId = randomUUID();
    await this.takeLock(orgId, undoId);
    try {
      const latest = await this.jobs.latestChanging(orgId);
      if (latest?.id !== original.id) {
        throw new BulkopsError(
          ErrorCode.UndoNotLatest,
          `Job ${original.id} is not the latest job that changed objects${latest ? ` (job ${latest.id} ran after it)` : ''}; only the most recent one can be undone, so undo the later ones first`,
          { latestJobId: latest?.id ?? null },
        );
      }
      const job = await this.jobs.insertActive(orgId, {
        id: undoId,
        adminId: principal.adminId,
        object: original.object,
        mode: JobMode.Undo,
        undoOf: original.id,
        fileName: undoFileName(original),
        fileSize: 0,
        uploadKey: '',
        idempotencyKey: null,
      });
      await this.enqueueIngest(job);
      this.logger.log({ orgId, jobId: undoId, undoOf: original.id }, 'undo started');
      return job;
    } catch (error) {
      await this.lock.release(orgId, undoId).catch(() => false);
      throw error;
    }
  }

  /** Refuses jobs an undo cannot take back, each with its own reason. */
  private async checkUndoable(job: JobEntity): Promise<void> {
    const refuse = (code: ErrorCode, why: string) =>
      new BulkopsError(code, `Job ${job.id} cannot be undone: ${why}`, { jobId: job.id });
    if (isActiveStatus(job.status)) {
      throw refuse(ErrorCode.JobNotFinished, 'it is still running; wait until it has finished');
    }
    if (job.mode === JobMode.Validate) {
      throw refuse(ErrorCode.JobNotUndoable, 'it only validated its upload and changed nothing');
    }
    if (job.status === JobStatus.Failed) {
      throw refuse(ErrorCode.JobNotUndoable, 'it failed, and a failed job changed nothing');
    }
    if (job.purgedAt !== null) {
      throw refuse(
        ErrorCode.JobNotUndoable,
        'its records were removed by retention, so what it changed is no longer known',
      );
    }
    const media = MEDIA_TYPES.map((d) => d.type);
    if (await this.changes.touches(job.organizationId, job.id, media, ['update', 'delete'])) {
      throw refuse(
        ErrorCode.JobNotUndoable,
        `it replaced or deleted ${MEDIA_TYPES.map((d) => d.label.toLowerCase()).join(' or ')} objects, whose earlier media bytes are not kept`,
      );
    }
  }

  /**
   * Takes the organization's lock for the undo at its full TTL (there is no upload to wait for). A
   * lock whose holder Postgres knows as finished is stale (status marks a job final before it
   * releases the lock) and is cleared with compare-and-delete on that holder.
   */
  private async takeLock(orgId: string, undoId: string): Promise<void> {
    for (let round = 0; round < LOCK_ROUNDS; round += 1) {
      const outcome = await this.lock.acquire(orgId, undoId);
      if (outcome.acquired) return;
      if (outcome.holder === null) continue;
      const holder = await this.jobs.find(orgId, outcome.holder);
      if (holder && !isActiveStatus(holder.status)) {
        await this.lock.release(orgId, outcome.holder);
        continue;
      }
      break;
    }
    // A refusal never names a job the caller cannot read (an upload still being received).
    throw new JobAlreadyActiveError((await this.jobs.findActive(orgId))?.id ?? null);
  }

  private async enqueueIngest(job: JobEntity): Promise<void> {
    try {
      await this.producer.enqueue('ingest-upload', { jobId: job.id, orgId: job.organizationId });
    } catch (error) {
      await this.jobs.deleteNew(job.organizationId, job.id);
      this.logger.error(
        { err: error, orgId: job.organizationId, jobId: job.id },
        'could not enqueue the undo',
      );
      throw new BulkopsError(
        ErrorCode.ServiceUnavailable,
        'The job queue is not reachable right now; ask for the undo again in a moment.',
        {},
        true,
      );
    }
  }
}
