import type { OnApplicationBootstrap } from '@nestjs/common';
import { JOB_EVENTS_QUEUE, type QueueJob } from '@bulkops/contracts';
import { Consumes, JobProducer, QueueProcessor } from '@bulkops/queue';
import { StatusEnv } from '../status.env';
import { JobProgressService } from './job-progress.service';
import { StuckJobReaper } from './stuck-job-reaper.service';

/** Consumes `job-events`: progress nudges, cancel requests and requests to run the reaper now. */
@Consumes(JOB_EVENTS_QUEUE, [
  'chunk-applied',
  'ingest-finished',
  'cancel-requested',
  'reap-stuck-jobs',
])
export class JobEventsProcessor
  extends QueueProcessor<typeof JOB_EVENTS_QUEUE>
  implements OnApplicationBootstrap
{
  constructor(
    private readonly progress: JobProgressService,
    private readonly reaper: StuckJobReaper,
    private readonly producer: JobProducer,
    private readonly env: StatusEnv,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    this.worker.concurrency = this.env.statusConcurrency;
    await this.worker.waitUntilReady();
    // The reaper runs on ReaperSchedule's timer now; a schedule an earlier version left in Redis goes.
    await this.producer.unschedule('reap-stuck-jobs', {});
  }

  protected async handle(job: QueueJob<typeof JOB_EVENTS_QUEUE>): Promise<void> {
    switch (job.name) {
      case 'chunk-applied':
      case 'ingest-finished':
      case 'cancel-requested':
        return this.progress.refresh(job.payload.orgId, job.payload.jobId);
      case 'reap-stuck-jobs':
        return this.reaper.reap();
    }
  }
}
