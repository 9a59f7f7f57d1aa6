import type { OnApplicationBootstrap } from '@nestjs/common';
import { INGEST_QUEUE, type QueueJob } from '@bulkops/contracts';
import { Consumes, QueueProcessor } from '@bulkops/queue';
import { IngestEnv } from '../ingest.env';
import { IngestUploadService } from './ingest-upload.service';

/** Consumes the `ingest` queue. */
@Consumes(INGEST_QUEUE, ['ingest-upload'])
export class IngestProcessor
  extends QueueProcessor<typeof INGEST_QUEUE>
  implements OnApplicationBootstrap
{
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

  protected async handle(job: QueueJob<typeof INGEST_QUEUE>): Promise<void> {
    switch (job.name) {
      case 'ingest-upload':
        return this.ingestUpload.ingest(job.payload.jobId, job.payload.orgId);
    }
  }
}
