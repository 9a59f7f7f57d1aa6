import { Injectable } from '@nestjs/common';
import { FINAL_JOB_STATUSES, JOB_STATUS_LABELS, type JobView } from '@bulkops/contracts';
import { JobViewRepository, type JobDetails, type JobEntity } from '@bulkops/database';

/** Turns job rows into the job JSON of spec/api.md. */
@Injectable()
export class JobViewService {
  constructor(private readonly jobViews: JobViewRepository) {}

  async viewOf(job: JobEntity): Promise<JobView> {
    const [view] = await this.viewsOf(job.organizationId, [job]);
    return view;
  }

  /** Views of jobs of one organization, their details loaded together. */
  async viewsOf(orgId: string, jobs: readonly JobEntity[]): Promise<JobView[]> {
    if (jobs.length === 0) return [];
    const details = await this.jobViews.details(orgId, jobs);
    return jobs.map((job) => this.toView(job, details));
  }

  /** One job of the organization as its view, or null: one statement (see JobViewRepository.findView). */
  async find(orgId: string, jobId: string): Promise<JobView | null> {
    const found = await this.jobViews.findView(orgId, jobId);
    return found ? this.toView(found.job, found.details) : null;
  }

  private toView(job: JobEntity, details: JobDetails): JobView {
    const succeeded = job.createdRows + job.updatedRows + job.deletedRows + job.unchangedRows;
    const final = FINAL_JOB_STATUSES.includes(job.status);
    return {
      id: job.id,
      object: job.object,
      mode: job.mode,
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
    };
  }
}
