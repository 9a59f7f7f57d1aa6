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

  /** How often the reaper looks at active jobs (renews locks, recovers lost queue jobs). */
  @IsInt()
  @Min(100)
  statusReapIntervalMs: number = 30_000;

  /** A job without progress for this long is failed and its lock released. */
  @IsInt()
  @Min(1000)
  statusStuckAfterMs: number = 15 * 60_000;

  /** A job whose queue message may have been lost is re-enqueued after this long without progress. */
  @IsInt()
  @Min(100)
  statusRecoverAfterMs: number = 60_000;

  /** Job events handled at once per process. */
  @IsInt()
  @Min(1)
  @Max(64)
  statusConcurrency: number = 4;
}
