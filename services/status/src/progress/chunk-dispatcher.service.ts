import { Injectable, Logger } from '@nestjs/common';
import { ChunkRepository, type JobEntity } from '@bulkops/database';
import { JobProducer } from '@bulkops/queue';
import { StatusEnv } from '../status.env';
import { RecoveryMetrics } from './recovery-metrics';

/**
 * Keeps a window of a job's unapplied chunks on their apply queues. The window holds only chunks
 * of the job's lowest phase that has any left (see ChunkRepository.claimForDispatch): a bundle's
 * next type is dispatched once every chunk of the one before is in the ledger, and since every
 * chunk-applied nudge brings status back here, the next phase starts as the last one settles. Postgres says which chunks of the
 * window need sending: those never sent, and those whose last delivery (sent, or taken up by a
 * worker) is older than STATUS_RECOVER_AFTER_MS without a ledger row. Of those, a chunk whose queue
 * job still waits is left alone (no consumer free yet); one whose queue job a lost Redis forgot,
 * that failed (a retry limit, a stall), completed without a ledger row, or is active with no sign of
 * life (its worker died) is sent again as a new queue job (the next attempt number), so nothing Redis kept can swallow
 * it; the ledger keeps the effect exactly-once.
 */
@Injectable()
export class ChunkDispatcher {
  private readonly logger = new Logger(ChunkDispatcher.name);

  constructor(
    private readonly chunks: ChunkRepository,
    private readonly producer: JobProducer,
    private readonly env: StatusEnv,
    private readonly recovery: RecoveryMetrics,
  ) {}

  async topUp(job: JobEntity): Promise<void> {
    const { organizationId: orgId, id: jobId } = job;
    // The chunk's own type picks its queue: a bundle's chunks are of several types.
    const payload = ({ seq, object }: { seq: number; object: string }, attempt: number) => ({
      jobId,
      orgId,
      object,
      chunk: seq,
      ...(attempt > 0 ? { attempt } : {}),
    });
    const claimed = await this.chunks.claimForDispatch(
      orgId,
      jobId,
      this.env.statusChunkWindow,
      this.env.statusRecoverAfterMs,
    );
    const sends: ReturnType<typeof payload>[] = [];
    const resent: number[] = [];
    for (const chunk of claimed) {
      if (chunk.first) {
        sends.push(payload(chunk, chunk.attempt));
        continue;
      }
      this.recovery.actions.inc({ action: 'resent' });
      // Still waiting (no consumer free yet): it will be applied; a second queue job would only pile up.
      if (await this.producer.pending('apply-chunk', payload(chunk, chunk.attempt))) continue;
      const next = await this.chunks.nextAttempt(orgId, jobId, chunk.seq);
      if (next === null) continue;
      sends.push(payload(chunk, next));
      resent.push(chunk.seq);
    }
    if (resent.length > 0) {
      this.logger.log(
        { orgId, jobId, chunks: resent },
        'chunks without a ledger row whose queue job is lost, failed or done; dispatched again',
      );
    }
    await this.producer.enqueueMany('apply-chunk', sends);
  }
}
