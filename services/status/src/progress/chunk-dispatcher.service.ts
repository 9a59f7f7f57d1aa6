import { Injectable, Logger } from '@nestjs/common';
import { ChunkRepository, type JobEntity } from '@bulkops/database';
import { JobProducer } from '@bulkops/queue';
import { StatusEnv } from '../status.env';
import { RecoveryMetrics } from './recovery-metrics';

/**
 * Keeps a window of a job's unapplied chunks on its apply queue. Postgres says which chunks of the
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
    const { organizationId: orgId, id: jobId, object } = job;
    const payload = (chunk: number, attempt: number) => ({
      jobId,
      orgId,
      object,
      chunk,
      ...(attempt > 0 ? { attempt } : {}),
    });
    const claimed = await this.chunks.claimForDispatch(
      orgId,
      jobId,
      this.env.statusChunkWindow,
      this.env.statusRecoverAfterMs,
    );
    const sends: { seq: number; attempt: number }[] = [];
    const resent: number[] = [];
    for (const { seq, attempt, first } of claimed) {
      if (first) {
        sends.push({ seq, attempt });
        continue;
      }
      this.recovery.actions.inc({ action: 'resent' });
      // Still waiting (no consumer free yet): it will be applied; a second queue job would only pile up.
      if (await this.producer.pending('apply-chunk', payload(seq, attempt))) continue;
      const next = await this.chunks.nextAttempt(orgId, jobId, seq);
      if (next === null) continue;
      sends.push({ seq, attempt: next });
      resent.push(seq);
    }
    if (resent.length > 0) {
      this.logger.log(
        { orgId, jobId, chunks: resent },
        'chunks without a ledger row whose queue job is lost, failed or done; dispatched again',
      );
    }
    await this.producer.enqueueMany(
      'apply-chunk',
      sends.map(({ seq, attempt }) => payload(seq, attempt)),
    );
  }
}
