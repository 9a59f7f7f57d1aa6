import { Processor } from '@nestjs/bullmq';
import type { OnApplicationBootstrap } from '@nestjs/common';
import { JOB_EVENTS_QUEUE, type JobName, type PayloadOf } from '@bulkops/contracts';
import { JobProducer, QueueProcessor } from '@bulkops/queue';
import { StatusEnv } from '../status.env';
import { JobProgressService } from './job-progress.service';
import { StuckJobReaper } from './stuck-job-reaper.service';

/** Consumes `job-events`: progress nudges and the reaper's tick. */
@Processor(JOB_EVENTS_QUEUE)
export class JobEventsProcessor extends QueueProcessor implements OnApplicationBootstrap {
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
    await this.producer.repeat('reap-stuck-jobs', {}, this.env.statusReapIntervalMs);
  }

  protected async handle<N extends JobName>(name: N, payload: PayloadOf<N>): Promise<void> {
    switch (name) {
      case 'chunk-applied': {
        const { orgId, jobId } = payload as PayloadOf<'chunk-applied'>;
        return this.progress.refresh(orgId, jobId);
      }
      case 'ingest-finished': {
        const { orgId, jobId } = payload as PayloadOf<'ingest-finished'>;
        return this.progress.refresh(orgId, jobId);
      }
      case 'reap-stuck-jobs':
        return this.reaper.reap();
      default:
        throw new Error(`the ${JOB_EVENTS_QUEUE} queue has no job '${name}'`);
    }
  }
}
