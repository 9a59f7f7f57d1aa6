import { Injectable } from '@nestjs/common';
import type { JobView } from '@bulkops/contracts';
import { JobViewRepository, jobViewOf, type JobEntity } from '@bulkops/database';

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
    return jobs.map((job) => jobViewOf(job, details));
  }

  /** One job of the organization as its view, or null: one statement (see JobViewRepository.findView). */
  async find(orgId: string, jobId: string): Promise<JobView | null> {
    const found = await this.jobViews.findView(orgId, jobId);
    return found ? jobViewOf(found.job, found.details) : null;
  }
}
