import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { WebhookEvent } from '@bulkops/contracts';

/** A URL an organization wants told about its jobs, and the key its deliveries are signed with. */
@Entity('webhook')
export class WebhookEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid')
  organizationId!: string;

  @Column('uuid')
  administratorId!: string;

  @Column('text')
  url!: string;

  @Column('text', { array: true })
  events!: WebhookEvent[];

  @Column('text')
  secret!: string;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;
}
