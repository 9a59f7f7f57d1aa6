import type { OrgLock } from '@bulkops/mutex';

/**
 * Keeps a short organization lock alive while its upload is received: renewed every third of
 * `ttlMs`, so a gateway that dies mid-upload leaves a lock that lapses within `ttlMs` instead of
 * blocking the organization for the whole JOB_LOCK_TTL_MS. Ended once the job is in Postgres (which
 * then vouches for it, and the lock gets its full TTL) or the attempt is discarded.
 */
export class UploadLockLease {
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly lock: OrgLock,
    private readonly orgId: string,
    private readonly jobId: string,
    ttlMs: number,
  ) {
    this.timer = setInterval(
      () => void this.lock.renew(orgId, jobId, ttlMs).catch(() => undefined),
      Math.max(250, Math.floor(ttlMs / 3)),
    );
    this.timer.unref();
  }

  /** Stops renewing; with `keep`, hands the lock over at its full TTL (the job is recorded). */
  async end(keep: boolean): Promise<void> {
    clearInterval(this.timer);
    if (keep) await this.lock.renew(this.orgId, this.jobId);
  }
}
