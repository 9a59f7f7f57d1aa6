import { setTimeout as delay } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { BulkopsError, ErrorCode, type JobMode } from '@bulkops/contracts';
import { JobRepository, type JobEntity } from '@bulkops/database';
import { OrgLock } from '@bulkops/mutex';
import { quote } from '@bulkops/objects';

/** What an Idempotency-Key is bound to: the request's object, mode and file, down to its bytes. */
export interface Fingerprint {
  object: string;
  mode: JobMode;
  fileName: string;
  size: number;
  sha256: string;
}

/** How long a retry waits for the first request with its key to record its job, and how often it looks. */
const WAIT_MS = 30_000;
const POLL_MS = 50;

/**
 * Answers retries (spec/api.md: a POST with the same Idempotency-Key answers the original job):
 * finds the job a key made — waiting while the request that holds the organization's lock is still
 * recording it, since concurrent retries all arrive before it exists — and checks that the retry
 * is the same request (422 IDEMPOTENCY_KEY_REUSED otherwise).
 */
@Injectable()
export class IdempotentReplayService {
  constructor(
    private readonly jobs: JobRepository,
    private readonly lock: OrgLock,
  ) {}

  /**
   * The job the key made, waiting while `busyWith` (the lock's holder, when this request found the
   * organization busy) may still be recording it; null when no job holds the key.
   */
  async jobOf(orgId: string, key: string, busyWith: string | null): Promise<JobEntity | null> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const job = await this.jobs.findByIdempotencyKey(orgId, key);
      if (job || busyWith === null) return job;
      // The holder is recorded (under another key), gone, or too slow: look one last time.
      const settled =
        (await this.jobs.find(orgId, busyWith)) !== null ||
        (await this.lock.holder(orgId)) !== busyWith ||
        Date.now() > deadline;
      if (settled) return this.jobs.findByIdempotencyKey(orgId, key);
      await delay(POLL_MS);
    }
  }

  /** Refuses a retry that is not the request the key was first used for. */
  checkSameRequest(job: JobEntity, key: string, request: Fingerprint): void {
    const same =
      job.object === request.object &&
      job.mode === request.mode &&
      job.fileName === request.fileName &&
      job.fileSize === request.size &&
      // Jobs recorded before uploads were hashed can only be matched by the rest.
      (job.fileSha256 === null || job.fileSha256 === request.sha256);
    if (!same) {
      throw new BulkopsError(
        ErrorCode.IdempotencyKeyReused,
        `The Idempotency-Key ${quote(key)} was used for another request (job ${job.id}: ${job.object}, mode ${job.mode}, ${quote(job.fileName)} of ${job.fileSize} bytes); send a new key with a different object, mode or file`,
        { jobId: job.id },
      );
    }
  }
}
