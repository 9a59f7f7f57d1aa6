import { IsInt, Max, Min } from 'class-validator';

/** Pacing of status: dispatch window, reaper cadence and patience. */
export class StatusEnv {
  /**
   * Chunks of one job waiting or running at a time. A big job never floods Redis, and the jobs of
   * other organizations interleave with it on the shared apply queues.
   */
  @IsInt()
  @Min(1)
  @Max(1000)
  statusChunkWindow: number = 8;

  /**
   * How often the reaper looks at active jobs (renews locks, recovers lost queue jobs). Each look is
   * a few queries per active job, and there is at most one active job per organization.
   */
  @IsInt()
  @Min(100)
  statusReapIntervalMs: number = 2_000;

  /** A job without progress for this long is failed and its lock released. */
  @IsInt()
  @Min(1000)
  statusStuckAfterMs: number = 15 * 60_000;

  /**
   * A chunk without a ledger row whose last delivery is this old, or an upload without a sign of
   * ingest for this long, is sent again (as a new queue job). A job whose service died resumes within
   * this plus STATUS_REAP_INTERVAL_MS. Well above a chunk's apply time; a live ingest shows a sign
   * of life every 2 s.
   */
  @IsInt()
  @Min(100)
  statusRecoverAfterMs: number = 10_000;

  /** Job events handled at once per process. */
  @IsInt()
  @Min(1)
  @Max(64)
  statusConcurrency: number = 4;

  /** How often the webhook sender looks for due deliveries when the last look found few. */
  @IsInt()
  @Min(50)
  statusWebhookPollMs: number = 1000;

  /** The wait before a delivery's second attempt; each later wait doubles, up to the maximum. */
  @IsInt()
  @Min(10)
  statusWebhookBackoffBaseMs: number = 30_000;

  /** The longest wait between two attempts of a delivery. */
  @IsInt()
  @Min(10)
  statusWebhookBackoffMaxMs: number = 3_600_000;

  /** How long after a job finished its delivery is still retried (spec: a day); then it fails. */
  @IsInt()
  @Min(1000)
  statusWebhookRetryForMs: number = 86_400_000;

  /** How long one attempt waits for the receiver's answer. */
  @IsInt()
  @Min(100)
  @Max(120_000)
  statusWebhookTimeoutMs: number = 10_000;

  /** Deliveries one status process sends at once. */
  @IsInt()
  @Min(1)
  @Max(100)
  statusWebhookConcurrency: number = 8;
  /**
   * Days a finished job keeps its upload, staged media, row errors and ledger (its error file);
   * then status purges them. The job row and its counts stay.
   */
  @IsInt()
  @Min(1)
  retentionDays: number = 30;

  /** How often status looks for finished jobs past retention. */
  @IsInt()
  @Min(1000)
  statusRetentionIntervalMs: number = 60 * 60_000;
}
