import { Injectable, Logger } from '@nestjs/common';
import { BulkopsError, ErrorCode, isActiveStatus, JobMode, JobStatus } from '@bulkops/contracts';
import {
  JobChangeRepository,
  JobRepository,
  type JobEntity,
  type Principal,
} from '@bulkops/database';
import { OBJECT_TYPES } from '@bulkops/objects';
import { SubmitJobService } from './submit-job.service';

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
 * finished job that changed objects may be undone, and that is checked while holding the lock, so
 * no job can start between the check and the undo's insertion.
 */
@Injectable()
export class UndoJobService {
  private readonly logger = new Logger(UndoJobService.name);

  constructor(
    private readonly jobs: JobRepository,
    private readonly changes: JobChangeRepository,
    private readonly submitJob: SubmitJobService,
  ) {}

  async undo(principal: Principal, jobId: string): Promise<JobEntity> {
    const { orgId } = principal;
    const original = await this.jobs.find(orgId, jobId);
    if (!original) {
      throw new BulkopsError(ErrorCode.NotFound, 'No job has this id in your organization.');
    }
    await this.checkUndoable(original);
    const job = await this.submitJob.submitUploadless(
      principal,
      {
        object: original.object,
        mode: JobMode.Undo,
        fileName: undoFileName(original),
        undoOf: original.id,
      },
      () => this.checkLatest(original),
    );
    this.logger.log({ orgId, jobId: job.id, undoOf: original.id }, 'undo started');
    return job;
  }

  /** Only the latest finished job that changed objects: an older one would skip later changes. */
  private async checkLatest(original: JobEntity): Promise<void> {
    const latest = await this.jobs.latestChanging(original.organizationId);
    if (latest?.id === original.id) return;
    throw new BulkopsError(
      ErrorCode.UndoNotLatest,
      `Job ${original.id} is not the latest job that changed objects${latest ? ` (job ${latest.id} ran after it)` : ''}; only the most recent one can be undone, so undo the later ones first`,
      { latestJobId: latest?.id ?? null },
    );
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
}
