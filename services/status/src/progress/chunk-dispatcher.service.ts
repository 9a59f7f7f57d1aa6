import { Injectable } from '@nestjs/common';
import { ChunkRepository, type JobEntity } from '@bulkops/database';
import { JobProducer } from '@bulkops/queue';
import { StatusEnv } from '../status.env';

/**
 * Keeps a window of a job's unapplied chunks on its apply queue. Asking Postgres which chunks have
 * no ledger row makes this idempotent and self-healing: the same call that paces a healthy job
 * re-enqueues everything a lost Redis forgot (deterministic job ids make repeats harmless).
 */
@Injectable()
export class ChunkDispatcher {
  constructor(
    private readonly chunks: ChunkRepository,
    private readonly producer: JobProducer,
    private readonly env: StatusEnv,
  ) {}

  async topUp(job: JobEntity): Promise<void> {
    const seqs = await this.chunks.unappliedSeqs(
      job.organizationId,
      job.id,
      this.env.statusChunkWindow,
    );
    await this.producer.enqueueMany(
      'apply-chunk',
      seqs.map((chunk) => ({
        jobId: job.id,
        orgId: job.organizationId,
        object: job.object,
        chunk,
      })),
    );
  }
}
