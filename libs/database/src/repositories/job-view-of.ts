import {
  FINAL_JOB_STATUSES,
  isActiveStatus,
  JOB_STATUS_LABELS,
  type JobView,
} from '@bulkops/contracts';
import type { JobEntity } from '../entities';
import type { JobDetails } from './job-view.repository';

/**
 * A job row and its details as the job JSON of spec/api.md: what `GET /v1/jobs/{id}` answers and
 * what a `job.finished` webhook delivery carries, built in one place so the two never differ.
 */
export function jobViewOf(job: JobEntity, details: JobDetails): JobView {
  const succeeded = job.createdRows + job.updatedRows + job.deletedRows + job.unchangedRows;
  const final = FINAL_JOB_STATUSES.includes(job.status);
  return {
    id: job.id,
    object: job.object,
    mode: job.mode,
    undoOf: job.undoOf,
    fileName: job.fileName,
    fileSize: job.fileSize,
    status: job.status,
    statusLabel: JOB_STATUS_LABELS[job.status],
    submittedBy: details.submitters.get(job.administratorId) ?? { name: '', email: '' },
    submittedAt: job.submittedAt.toISOString(),
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
    counts: {
      total: job.totalRows,
      processed: job.processedRows,
      succeeded,
      failed: job.failedRows,
      created: job.createdRows,
      updated: job.updatedRows,
      deleted: job.deletedRows,
      unchanged: job.unchangedRows,
    },
    progress: job.totalRows > 0 ? Math.min(1, job.processedRows / job.totalRows) : final ? 1 : 0,
    files: details.files.get(job.id) ?? [],
    failure: job.failureCode
      ? { code: job.failureCode, message: job.failureMessage ?? '', file: job.failureFile }
      : null,
    errorSummary: details.summaries.get(job.id) ?? [],
    ...bundleParts(job, details),
  };
}

/** A bundle job's sections and the type it is applying (spec/api.md "Bundles"); nothing for others. */
function bundleParts(job: JobEntity, details: JobDetails): Pick<JobView, 'sections' | 'applying'> {
  const bundle = details.bundles?.get(job.id);
  if (!bundle) return {};
  return {
    sections: bundle.sections,
    applying: isActiveStatus(job.status) ? bundle.applying : null,
  };
}
