import type { MigrationInterface, QueryRunner } from 'typeorm';

const FINAL = `('COMPLETED', 'COMPLETED_WITH_ERRORS', 'FAILED', 'CANCELLED')`;

/**
 * Webhooks (spec/api.md "Webhooks") and their outbox. When a job reaches a final status, the same
 * transaction that records it inserts one `webhook_delivery` row per subscribed webhook (the
 * trigger below), whichever service or code path finished the job. The status service sends the
 * pending rows; a crash between finishing and sending therefore delays a delivery but never loses
 * it, and the unique key makes a second finishing write (there is none, but a replay) harmless.
 */
export class CreateWebhookTables1795670000300 implements MigrationInterface {
  name = 'CreateWebhookTables1795670000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhook (
        id uuid CONSTRAINT pk_webhook PRIMARY KEY,
        organization_id uuid NOT NULL CONSTRAINT fk_webhook_organization REFERENCES organization (id) ON DELETE CASCADE,
        administrator_id uuid NOT NULL CONSTRAINT fk_webhook_administrator REFERENCES administrator (id) ON DELETE CASCADE,
        url text NOT NULL,
        events text[] NOT NULL,
        -- Kept readable: the status service signs every delivery with it (HMAC needs the key).
        secret text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_webhook_org_created ON webhook (organization_id, created_at)`);
    await q.query(`
      CREATE TABLE webhook_delivery (
        id uuid CONSTRAINT pk_webhook_delivery PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL CONSTRAINT fk_webhook_delivery_organization REFERENCES organization (id) ON DELETE CASCADE,
        -- Deleting a webhook drops its log and the deliveries not yet sent.
        webhook_id uuid NOT NULL CONSTRAINT fk_webhook_delivery_webhook REFERENCES webhook (id) ON DELETE CASCADE,
        job_id uuid NOT NULL CONSTRAINT fk_webhook_delivery_job REFERENCES job (id) ON DELETE CASCADE,
        event text NOT NULL,
        status text NOT NULL DEFAULT 'pending',
        attempts integer NOT NULL DEFAULT 0,
        -- The exact bytes sent, fixed at the first attempt so every retry carries the same body.
        body text,
        last_status_code integer,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_attempt_at timestamptz,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz,
        CONSTRAINT uq_webhook_delivery_webhook_job_event UNIQUE (webhook_id, job_id, event),
        CONSTRAINT ck_webhook_delivery_status CHECK (status IN ('pending', 'delivered', 'failed'))
      )`);
    await q.query(
      `CREATE INDEX ix_webhook_delivery_due ON webhook_delivery (next_attempt_at) WHERE status = 'pending'`,
    );
    await q.query(
      `CREATE INDEX ix_webhook_delivery_webhook_created ON webhook_delivery (webhook_id, created_at DESC, id DESC)`,
    );
    await q.query(`
      CREATE FUNCTION job_finished_webhooks() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- Only the step into a final status: a later write of the same status is no new event.
        IF TG_OP = 'UPDATE' AND OLD.status IN ${FINAL} THEN
          RETURN NULL;
        END IF;
        INSERT INTO webhook_delivery (organization_id, webhook_id, job_id, event)
          SELECT NEW.organization_id, w.id, NEW.id, 'job.finished'
            FROM webhook w
           WHERE w.organization_id = NEW.organization_id AND 'job.finished' = ANY (w.events)
          ON CONFLICT ON CONSTRAINT uq_webhook_delivery_webhook_job_event DO NOTHING;
        RETURN NULL;
      END
      $$`);
    await q.query(`
      CREATE TRIGGER trg_job_finished_webhooks AFTER INSERT OR UPDATE OF status ON job
        FOR EACH ROW
        WHEN (NEW.status IN ${FINAL})
        EXECUTE FUNCTION job_finished_webhooks()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER trg_job_finished_webhooks ON job`);
    await q.query(`DROP FUNCTION job_finished_webhooks()`);
    await q.query(`DROP TABLE webhook_delivery`);
    await q.query(`DROP TABLE webhook`);
  }
}
