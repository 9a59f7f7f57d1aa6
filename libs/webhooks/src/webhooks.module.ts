import { Module } from '@nestjs/common';
import { WebhookSender } from './webhook-sender';
import { WebhookTargetPolicy } from './webhook-target-policy';

/** The target policy (needs WebhookEnv among the service's env classes) and the sender. */
@Module({
  providers: [WebhookTargetPolicy, WebhookSender],
  exports: [WebhookTargetPolicy, WebhookSender],
})
export class WebhooksModule {}
