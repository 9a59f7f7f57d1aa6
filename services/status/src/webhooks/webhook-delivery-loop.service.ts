import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { WebhookDeliveryRepository } from '@bulkops/database';
import { StatusEnv } from '../status.env';
import { WebhookDeliveryService } from './webhook-delivery.service';

/** Margin of a claim's lease over one attempt's timeout, for the bookkeeping around the POST. */
const LEASE_MARGIN_MS = 30_000;

/**
 * Sends due webhook deliveries for as long as the service runs. Each round claims up to
 * STATUS_WEBHOOK_CONCURRENCY due rows from Postgres (shared fairly between status replicas by
 * `SKIP LOCKED`) and attempts them together; a full round is followed at once by the next, else
 * the loop waits STATUS_WEBHOOK_POLL_MS. Postgres is the only record: a restart resumes from it.
 */
@Injectable()
export class WebhookDeliveryLoop implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WebhookDeliveryLoop.name);
  private stopping = false;
  private wake: (() => void) | null = null;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly delivery: WebhookDeliveryService,
    private readonly env: StatusEnv,
  ) {}

  onApplicationBootstrap(): void {
    this.running = this.run();
  }

  /** Lets the attempts in flight finish (each is bounded by its timeout), then stops. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.running;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      let claimed = 0;
      try {
        claimed = await this.round();
      } catch (error) {
        // Postgres away for a moment: the rows are still there; try again after the pause.
        this.logger.error({ err: error }, 'webhook delivery round failed');
      }
      if (claimed < this.env.statusWebhookConcurrency) await this.pause();
    }
  }

  private async round(): Promise<number> {
    const due = await this.deliveries.claimDue(
      this.env.statusWebhookConcurrency,
      this.env.statusWebhookTimeoutMs + LEASE_MARGIN_MS,
    );
    await Promise.all(
      due.map((d) =>
        this.delivery.attempt(d).catch((error: unknown) => {
          // Its lease runs out and the row is claimed again: nothing is lost, only delayed.
          this.logger.error(
            { err: error, orgId: d.orgId, jobId: d.jobId, deliveryId: d.id },
            'webhook delivery attempt could not be recorded',
          );
        }),
      ),
    );
    return due.length;
  }

  /** Waits for the poll interval, or less when shutdown begins. */
  private pause(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.wake?.(), this.env.statusWebhookPollMs);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
    });
  }
}
