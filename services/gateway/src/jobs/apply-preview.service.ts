import { Injectable } from '@nestjs/common';
import { BulkopsError, ErrorCode, JobMode, JobStatus } from '@bulkops/contracts';
import { JobRepository, type JobEntity, type Principal } from '@bulkops/database';
import { StorageService } from '@bulkops/storage';
import { SubmitJobService } from './submit-job.service';

/** The statuses a preview can be applied from: it ran to its end (with or without rejected rows). */
const FINISHED = new Set<string>([JobStatus.Completed, JobStatus.CompletedWithErrors]);

function uploadRemoved(job: JobEntity): BulkopsError {
  return new BulkopsError(
    ErrorCode.NotAPreview,
    `The upload of validate job ${job.id} has been removed by retention; upload the file again.`,
    { jobId: job.id },
  );
}

/**
 * Applies what a validate job previewed (spec/api.md `POST /v1/jobs/{id}/apply`): a new apply job
 * over the same stored upload. Refused with NOT_A_PREVIEW for anything but a finished validate job
 * whose upload retention has not removed, and with PREVIEW_STALE once another job changed objects
 * after the preview finished — then the preview no longer shows what the apply would do. The
 * staleness check runs while the organization's lock is held, so no job can slip in after it.
 */
@Injectable()
export class ApplyPreviewService {
  constructor(
    private readonly jobs: JobRepository,
    private readonly submitJob: SubmitJobService,
    private readonly storage: StorageService,
  ) {}

  async apply(principal: Principal, preview: JobEntity): Promise<JobEntity> {
    this.checkPreview(preview);
    return this.submitJob.submitStored(
      principal,
      {
        object: preview.object,
        mode: JobMode.Apply,
        fileName: preview.fileName,
        fileSize: preview.fileSize,
        fileSha256: preview.fileSha256,
        uploadKey: preview.uploadKey,
      },
      async () => {
        await this.checkFresh(preview);
        // Retention may have run since the job was read: its purge deletes the upload first.
        if ((await this.storage.size(preview.uploadKey)) === null) throw uploadRemoved(preview);
      },
    );
  }

  private checkPreview(job: JobEntity): void {
    if (job.mode !== JobMode.Validate || !FINISHED.has(job.status)) {
      throw new BulkopsError(
        ErrorCode.NotAPreview,
        `Job ${job.id} is not a finished validate job (it is a ${job.mode} job, ${job.status}); only the upload of a finished mode=validate job can be applied this way.`,
        { jobId: job.id },
      );
    }
    if (job.purgedAt) throw uploadRemoved(job);
  }

  private async checkFresh(preview: JobEntity): Promise<void> {
    const later = await this.jobs.changedObjectsAfter(preview.organizationId, preview.id);
    if (later) {
      throw new BulkopsError(
        ErrorCode.PreviewStale,
        `Job ${later} changed objects after this preview finished, so the preview may no longer show what an apply would change; validate the file again, then apply that preview.`,
        { jobId: preview.id, laterJobId: later },
      );
    }
  }
}
