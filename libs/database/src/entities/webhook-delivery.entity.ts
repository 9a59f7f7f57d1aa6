import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { WebhookDeliveryStatus, WebhookEvent } from '@bulkops/contracts';

/**
 * One event owed to one webhook: the outbox row written by the transaction that finished the job
 * (migration CreateWebhookTables), then its delivery log as the status service tries it.
 */
@Entity('webhook_delivery')
export class WebhookDeliveryEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid')
  organizationId!: string;

  @Column('uuid')
  webhookId!: string;

  @Column('uuid')
  jobId!: string;

  @Column('text')
  event!: WebhookEvent;

  @Column('text')
  status!: WebhookDeliveryStatus;

  @Column('int')
  attempts!: number;

  @Column({ type: 'text', nullable: true })
  body!: string | null;

  @Column({ type: 'int', nullable: true })
  lastStatusCode!: number | null;

  @Column({ type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  lastAttemptAt!: Date | null;

  @Column({ type: 'timestamptz' })
  nextAttemptAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  deliveredAt!: Date | null;
}
