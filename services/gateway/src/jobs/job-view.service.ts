import { Injectable } from '@nestjs/common';
import type { JobView } from '@bulkops/contracts';
import {
  JobRepository,
  JobViewRepository,
  jobViewOf,
  type JobEntity,
  type JobListQuery,
} from '@bulkops/database';
import { JobReadCache } from '../reads/job-read-cache.service';

/** Turns job rows into the job JSON of spec/api.md; the polled reads go through the read cache. */
@Injectable()
export class JobViewService {
  constructor(
    private readonly jobViews: JobViewRepository,
    private readonly jobs: JobRepository,
    private readonly cache: JobReadCache,
  ) {}

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
    return this.cache.view(orgId, jobId, async () => {
      const found = await this.jobViews.findView(orgId, jobId);
      return found ? jobViewOf(found.job, found.details) : null;
    });
  }

  /** A page of the organization's jobs, most recent first (`limit` rows: ask one more to page). */
  async list(orgId: string, query: JobListQuery): Promise<{ job: JobEntity; view: JobView }[]> {
    const key = `list:${query.limit}:${query.before?.submittedAt.toISOString() ?? ''}:${query.before?.id ?? ''}:${query.status ?? ''}:${query.object ?? ''}`;
    return this.cache.organizationRead(orgId, key, async () => {
      const jobs = await this.jobViews.list(orgId, query);
      const views = await this.viewsOf(orgId, jobs);
      return jobs.map((job, i) => ({ job, view: views[i] }));
    });
  }

  /** The organization's active job as its view, or null. */
  async active(orgId: string): Promise<JobView | null> {
    return this.cache.organizationRead(orgId, 'active', async () => {
      const job = await this.jobs.findActive(orgId);
      return job ? this.viewOf(job) : null;
    });
  }

  /** This gateway changed a job: its cached answers go now, before Postgres' notification arrives. */
  changed(job: Pick<JobEntity, 'organizationId' | 'id'>): void {
    this.cache.changed({ orgId: job.organizationId, jobId: job.id });
  }
}
