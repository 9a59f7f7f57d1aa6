import { Processor } from '@nestjs/bullmq';
import type { OnApplicationBootstrap } from '@nestjs/common';
import { INGEST_QUEUE, type JobName, type PayloadOf } from '@bulkops/contracts';
import { QueueProcessor } from '@bulkops/queue';
import { IngestEnv } from '../ingest.env';
import { IngestUploadService } from './ingest-upload.service';

/** Consumes the `ingest` queue. */
@Processor(INGEST_QUEUE)
export class IngestProcessor extends QueueProcessor implements OnApplicationBootstrap {
  constructor(
    private readonly ingestUpload: IngestUploadService,
    private readonly env: IngestEnv,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    this.worker.concurrency = this.env.ingestConcurrency;
    await this.worker.waitUntilReady();
  }

  protected async handle<N extends JobName>(name: N, payload: PayloadOf<N>): Promise<void> {
    switch (name) {
      case 'ingest-upload': {
        const { jobId, orgId } = payload as PayloadOf<'ingest-upload'>;
        return this.ingestUpload.ingest(jobId, orgId);
      }
      default:
        throw new Error(`the ingest queue has no job '${name}'`);
    }
  }
}
