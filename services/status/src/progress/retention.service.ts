import { Injectable, Logger } from '@nestjs/common';
import { JobRetentionRepository } from '@bulkops/database';
import { StorageKeys, StorageService } from '@bulkops/storage';
import { StatusEnv } from '../status.env';

/** Jobs purged per run at most, so one run stays short; the next run takes the rest. */
const JOBS_PER_RUN = 200;

/**
 * Retention (RETENTION_DAYS): what a job finished that long ago still holds is removed — its upload
 * and staged media (everything under its own `jobs/{id}/` storage prefix), row errors, change
 * records, ledger and chunks. Nothing an object references is in reach: object media live under `orgs/{org}/blobs/`,
 * which this never touches, and only jobs in a final status are considered. The job row stays, with
 * its counts and error summary, as the record of what ran.
 */
@Injectable()
export class RetentionService {
  private readonly logger = new Logger(RetentionService.name);

  constructor(
    private readonly retention: JobRetentionRepository,
    private readonly storage: StorageService,
    private readonly env: StatusEnv,
  ) {}

  /** One run; answers how many jobs it purged. */
  async purge(): Promise<number> {
    const expired = await this.retention.expiredAcrossOrganizations(
      this.env.retentionDays,
      JOBS_PER_RUN,
    );
    for (const job of expired) {
      // Storage first: a crash in between leaves the job unpurged, and the next run finishes it.
      await this.storage.delete(StorageKeys.job(job.id));
      await this.retention.purge(job);
    }
    if (expired.length > 0) {
      this.logger.log(
        { jobs: expired.length, retentionDays: this.env.retentionDays },
        'purged finished jobs past retention',
      );
    }
    return expired.length;
  }
}
