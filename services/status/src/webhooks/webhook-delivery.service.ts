import { Injectable, Logger } from '@nestjs/common';
import type { WebhookPayload } from '@bulkops/contracts';
import {
  JobViewRepository,
  jobViewOf,
  WebhookDeliveryRepository,
  type ClaimedDelivery,
} from '@bulkops/database';
import {
  DELIVERY_HEADER,
  SIGNATURE_HEADER,
  WebhookSender,
  webhookSignature,
} from '@bulkops/webhooks';
import { Metrics } from '@bulkops/observability';
import { StatusEnv } from '../status.env';
import { nextAttemptAt } from './webhook-backoff';

/**
 * One attempt of one claimed delivery: the body (fixed at the first attempt from Postgres' record of
 * the finished job), its signature, the POST, and the outcome in the delivery log.
 */
@Injectable()
export class WebhookDeliveryService {
  private readonly logger = new Logger(WebhookDeliveryService.name);
  private readonly attempts = this.metrics.counter(
    'bulkops_webhook_attempts_total',
    'Webhook delivery attempts by outcome: delivered (a 2xx), retry (another attempt is scheduled) or failed (given up after STATUS_WEBHOOK_RETRY_FOR_MS)',
    ['outcome'],
  );

  constructor(
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly jobViews: JobViewRepository,
    private readonly sender: WebhookSender,
    private readonly env: StatusEnv,
    private readonly metrics: Metrics,
  ) {}

  async attempt(delivery: ClaimedDelivery): Promise<void> {
    const body = delivery.body ?? (await this.fixBody(delivery));
    const { statusCode, error } = await this.send(delivery, body);
    if (error === null) {
      await this.deliveries.record(delivery, { delivered: true, statusCode: statusCode ?? 0 });
      this.attempts.inc({ outcome: 'delivered' });
      return;
    }
    const retryAt = nextAttemptAt(delivery.createdAt, delivery.attempt, new Date(), this.env);
    await this.deliveries.record(delivery, { delivered: false, statusCode, error, retryAt });
    this.attempts.inc({ outcome: retryAt ? 'retry' : 'failed' });
    this.logger.warn(
      {
        orgId: delivery.orgId,
        jobId: delivery.jobId,
        deliveryId: delivery.id,
        attempt: delivery.attempt,
        retryAt,
      },
      `webhook delivery attempt failed: ${error}${retryAt ? '' : '; giving up'}`,
    );
  }

  /** The signed POST; answers the receiver's status, and why the attempt failed (null for a 2xx). */
  private async send(
    delivery: ClaimedDelivery,
    body: string,
  ): Promise<{ statusCode: number | null; error: string | null }> {
    try {
      const statusCode = await this.sender.post({
        url: delivery.url,
        body,
        headers: {
          [SIGNATURE_HEADER]: webhookSignature(delivery.secret, body),
          [DELIVERY_HEADER]: delivery.id,
        },
        timeoutMs: this.env.statusWebhookTimeoutMs,
      });
      const ok = statusCode >= 200 && statusCode < 300;
      return { statusCode, error: ok ? null : `the receiver answered ${statusCode}` };
    } catch (cause) {
      // Kept short: the log is for the organization's operators, not a dump.
      return { statusCode: null, error: (cause as Error).message.slice(0, 500) };
    }
  }

  private async fixBody(delivery: ClaimedDelivery): Promise<string> {
    const found = await this.jobViews.findView(delivery.orgId, delivery.jobId);
    // The delivery's foreign key keeps its job; a missing one is a broken database, not a retry.
    if (!found) throw new Error(`job ${delivery.jobId} of delivery ${delivery.id} is missing`);
    const payload: WebhookPayload = {
      event: delivery.event,
      job: jobViewOf(found.job, found.details),
    };
    return this.deliveries.fixBody(delivery.id, JSON.stringify(payload));
  }
}
