import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { WebhookEvent } from '@bulkops/contracts';

/** A delivery one sender has claimed for one attempt, with what it needs to send it. */
export interface ClaimedDelivery {
  id: string;
  orgId: string;
  jobId: string;
  event: WebhookEvent;
  /** This attempt's number, from 1; results are recorded only against it. */
  attempt: number;
  /** The body fixed by an earlier attempt, or null before the first. */
  body: string | null;
  createdAt: Date;
  url: string;
  secret: string;
}

/** How an attempt ended. */
export type AttemptOutcome =
  | { delivered: true; statusCode: number }
  | { delivered: false; statusCode: number | null; error: string; retryAt: Date | null };

/**
 * The status service's side of the webhook outbox: claims due deliveries and records each attempt.
 * Rows are claimed with `FOR UPDATE SKIP LOCKED` and leased by moving `next_attempt_at` ahead, in
 * one statement, so replicas share the work, no HTTP call runs inside a transaction, and a sender
 * that dies mid-attempt leaves the row due again when its lease ends.
 */
@Injectable()
export class WebhookDeliveryRepository {
  constructor(private readonly dataSource: DataSource) {}

  async claimDue(limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    const rows = await this.dataSource.query<
      {
        id: string;
        organization_id: string;
        job_id: string;
        event: WebhookEvent;
        attempts: number;
        body: string | null;
        created_at: Date;
        url: string;
        secret: string;
      }[]
    >(
      // Wrapped in a SELECT: TypeORM answers a bare UPDATE ... RETURNING as [rows, count].
      `WITH due AS (
         SELECT id FROM webhook_delivery
          WHERE status = 'pending' AND next_attempt_at <= now()
          ORDER BY next_attempt_at
          LIMIT $1
          FOR UPDATE SKIP LOCKED),
       claimed AS (
         UPDATE webhook_delivery d
            SET attempts = d.attempts + 1, last_attempt_at = now(),
                next_attempt_at = now() + $2 * interval '1 millisecond'
           FROM due, webhook w
          WHERE d.id = due.id AND w.id = d.webhook_id
         RETURNING d.id, d.organization_id, d.job_id, d.event, d.attempts, d.body, d.created_at,
                   w.url, w.secret)
       SELECT * FROM claimed`,
      [limit, leaseMs],
    );
    return rows.map((r) => ({
      id: r.id,
      orgId: r.organization_id,
      jobId: r.job_id,
      event: r.event,
      attempt: r.attempts,
      body: r.body,
      createdAt: r.created_at,
      url: r.url,
      secret: r.secret,
    }));
  }

  /** Fixes the body of a delivery at its first attempt; answers the body every attempt sends. */
  async fixBody(id: string, body: string): Promise<string> {
    const [row] = await this.dataSource.query<{ body: string }[]>(
      `WITH fixed AS (
         UPDATE webhook_delivery SET body = coalesce(body, $2) WHERE id = $1 RETURNING body)
       SELECT body FROM fixed`,
      [id, body],
    );
    return row?.body ?? body;
  }

  /**
   * Records an attempt. A result for an attempt that is no longer the latest (the lease ran out and
   * another sender took the row) is dropped: the newer attempt speaks for the delivery.
   */
  async record(delivery: ClaimedDelivery, outcome: AttemptOutcome): Promise<void> {
    if (outcome.delivered) {
      await this.dataSource.query(
        `UPDATE webhook_delivery
            SET status = 'delivered', delivered_at = now(), last_status_code = $3, last_error = NULL
          WHERE id = $1 AND attempts = $2 AND status = 'pending'`,
        [delivery.id, delivery.attempt, outcome.statusCode],
      );
      return;
    }
    await this.dataSource.query(
      `UPDATE webhook_delivery
          SET status = CASE WHEN $5::timestamptz IS NULL THEN 'failed' ELSE 'pending' END,
              next_attempt_at = coalesce($5::timestamptz, next_attempt_at),
              last_status_code = $3, last_error = $4
        WHERE id = $1 AND attempts = $2 AND status = 'pending'`,
      [delivery.id, delivery.attempt, outcome.statusCode, outcome.error, outcome.retryAt],
    );
  }
}
