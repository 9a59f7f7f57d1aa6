import { Module } from '@nestjs/common';
import { WebhooksModule as WebhookTargetsModule } from '@bulkops/webhooks';
import { WebhookDeliveryLoop } from './webhook-delivery-loop.service';
import { WebhookDeliveryService } from './webhook-delivery.service';

/** Sends the webhook deliveries finished jobs left in Postgres' outbox. */
@Module({
  imports: [WebhookTargetsModule],
  providers: [WebhookDeliveryService, WebhookDeliveryLoop],
})
export class WebhookDeliveryModule {}
