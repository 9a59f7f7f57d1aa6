import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { WebhookEvent } from '@bulkops/contracts';
import { WebhookDeliveryEntity, WebhookEntity } from '../entities';

/** What registering a webhook stores. */
export interface NewWebhook {
  id: string;
  administratorId: string;
  url: string;
  events: WebhookEvent[];
  secret: string;
}

/** A page position in a delivery log: the last delivery's creation time and id. */
export interface DeliveryPosition {
  createdAt: Date;
  id: string;
}

/** An organization's webhooks and their delivery logs, as the API manages and reads them. */
@Injectable()
export class WebhookRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(orgId: string, webhook: NewWebhook): Promise<WebhookEntity> {
    const repository = this.dataSource.getRepository(WebhookEntity);
    return repository.save(
      repository.create({ ...webhook, organizationId: orgId, createdAt: new Date() }),
    );
  }

  /** Oldest first: the order they were registered in. */
  async list(orgId: string): Promise<WebhookEntity[]> {
    return this.dataSource.getRepository(WebhookEntity).find({
      where: { organizationId: orgId },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  async find(orgId: string, id: string): Promise<WebhookEntity | null> {
    return this.dataSource.getRepository(WebhookEntity).findOneBy({ organizationId: orgId, id });
  }

  /** Removes a webhook with its log and unsent deliveries; false when the organization has none such. */
  async delete(orgId: string, id: string): Promise<boolean> {
    const result = await this.dataSource
      .getRepository(WebhookEntity)
      .delete({ organizationId: orgId, id });
    return (result.affected ?? 0) > 0;
  }

  /** A webhook's deliveries, newest first, keyset-paged on (created_at, id). */
  async deliveries(
    orgId: string,
    webhookId: string,
    page: { limit: number; before?: DeliveryPosition },
  ): Promise<WebhookDeliveryEntity[]> {
    const qb = this.dataSource
      .getRepository(WebhookDeliveryEntity)
      .createQueryBuilder('d')
      .where('d.organization_id = :orgId AND d.webhook_id = :webhookId', { orgId, webhookId })
      .orderBy('d.created_at', 'DESC')
      .addOrderBy('d.id', 'DESC')
      .limit(page.limit);
    if (page.before) {
      qb.andWhere('(d.created_at, d.id) < (:at, :id)', {
        at: page.before.createdAt,
        id: page.before.id,
      });
    }
    return qb.getMany();
  }
}
