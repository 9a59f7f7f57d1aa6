import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DatabaseEnv } from '@bulkops/config';
import { StatusEnv } from '../status.env';
import { BlobCollector } from './blob-collector.service';
import { ReaperLeadership } from './reaper-leadership';
import { RetentionService } from './retention.service';
import { StuckJobReaper } from './stuck-job-reaper.service';

/**
 * Runs the reaper every STATUS_REAP_INTERVAL_MS (and retention with blob collection every
 * STATUS_RETENTION_INTERVAL_MS) on a plain timer in this process, on the replica that leads
 * (ReaperLeadership). The schedule used to be a BullMQ repeatable job: it lived in Redis, was
 * installed only at start-up, and a FLUSHALL removed it for good. A timer has nothing to lose,
 * and everything the reaper decides from is in Postgres; Postgres also elects the leader, so two
 * replicas never re-dispatch the same chunks twice over.
 */
@Injectable()
export class ReaperSchedule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReaperSchedule.name);
  private readonly leadership: ReaperLeadership;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | null = null;
  private leading = false;
  private lastPurgeAt = 0;

  constructor(
    private readonly reaper: StuckJobReaper,
    private readonly retention: RetentionService,
    private readonly blobs: BlobCollector,
    private readonly env: StatusEnv,
    database: DatabaseEnv,
  ) {
    this.leadership = new ReaperLeadership(database.databaseUrl);
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.env.statusReapIntervalMs);
  }

  /** One look; a tick still running when the next is due makes that one skip. */
  async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = this.runOnce().finally(() => (this.ticking = null));
    await this.ticking;
  }

  private async runOnce(): Promise<void> {
    const leads = await this.leadership.leads();
    if (leads !== this.leading) {
      this.leading = leads;
      this.logger.log(
        { leading: leads },
        leads ? 'this replica runs the reaper' : 'not leading the reaper',
      );
    }
    if (!leads) return;
    try {
      await this.reaper.reap();
      if (Date.now() - this.lastPurgeAt >= this.env.statusRetentionIntervalMs) {
        await this.retention.purge();
        await this.blobs.collect();
        this.lastPurgeAt = Date.now();
      }
    } catch (error) {
      // Postgres or Redis away: the next tick tries again.
      this.logger.warn({ err: error }, 'reaper tick failed; trying again on the next one');
    }
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.ticking;
    await this.leadership.drop();
  }
}
