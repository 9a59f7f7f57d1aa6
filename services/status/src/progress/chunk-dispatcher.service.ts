import { Injectable, Logger } from '@nestjs/common';
import { ChunkRepository, type JobEntity } from '@bulkops/database';
import { JobProducer } from '@bulkops/queue';
import { StatusEnv } from '../status.env';

/**
 * Keeps a window of a job's unapplied chunks on its apply queue. Postgres says which chunks of the
 * window need sending: those never sent, and those whose last delivery (sent, or taken up by a
 * worker) is older than STATUS_RECOVER_AFTER_MS without a ledger row, which a lost Redis, a killed
 * worker or a failed queue job left behind. A re-send is a new queue job (the next attempt number),
 * so nothing Redis kept can swallow it; the ledger keeps the effect exactly-once.
 */
@Injectable()
export class ChunkDispatcher {
  private readonly logger = new Logger(ChunkDispatcher.name);

  constructor(
    private readonly chunks: ChunkRepository,
    private readonly producer: JobProducer,
    private readonly env: StatusEnv,
  ) {}

  async topUp(job: JobEntity): Promise<void> {
    const due = await this.chunks.claimForDispatch(
      job.organizationId,
      job.id,
      this.env.statusChunkWindow,
      this.env.statusRecoverAfterMs,
    );
    const resent = due.filter((d) => d.attempt > 0);
    if (resent.length > 0) {
      this.logger.log(
        { orgId: job.organizationId, jobId: job.id, chunks: resent.map((d) => d.seq) },
        'chunks without a ledger row after STATUS_RECOVER_AFTER_MS; dispatched again',
      );
    }
    await this.producer.enqueueMany(
      'apply-chunk',
      due.map(({ seq, attempt }) => ({
        jobId: job.id,
        orgId: job.organizationId,
        object: job.object,
        chunk: seq,
        ...(attempt > 0 ? { attempt } : {}),
      })),
    );
  }
}
