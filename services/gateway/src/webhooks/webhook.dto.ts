import { ApiProperty } from '@nestjs/swagger';
import {
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
} from 'class-validator';
import {
  WEBHOOK_EVENTS,
  type CreatedWebhookView,
  type WebhookDeliveryStatus,
  type WebhookDeliveryView,
  type WebhookEvent,
  type WebhookView,
} from '@bulkops/contracts';

/** Body of `POST /v1/webhooks`. */
export class CreateWebhookBody {
  @ApiProperty({ example: 'https://hooks.example.com/bulkops', maxLength: 2000 })
  @IsString()
  @MaxLength(2000)
  url!: string;

  @ApiProperty({ enum: WEBHOOK_EVENTS, isArray: true, default: ['job.finished'], required: false })
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsIn(WEBHOOK_EVENTS, {
    each: true,
    message: `events must hold only ${WEBHOOK_EVENTS.join(', ')}`,
  })
  events: WebhookEvent[] = ['job.finished'];
}

/** OpenAPI shape of a webhook (mirrors WebhookView). */
export class WebhookDto implements WebhookView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'https://hooks.example.com/bulkops' }) url!: string;
  @ApiProperty({ enum: WEBHOOK_EVENTS, isArray: true }) events!: WebhookEvent[];
  @ApiProperty() createdAt!: string;
}

/** OpenAPI shape of a new webhook: its signing secret is shown in this answer only. */
export class CreatedWebhookDto extends WebhookDto implements CreatedWebhookView {
  @ApiProperty({
    description:
      'Signs every delivery: X-Bulkops-Signature is sha256=<hex HMAC-SHA256 of the body under this secret>. Shown only now.',
  })
  secret!: string;
}

/** OpenAPI shape of a delivery log entry (mirrors WebhookDeliveryView). */
export class WebhookDeliveryDto implements WebhookDeliveryView {
  @ApiProperty({
    format: 'uuid',
    description: 'Sent as X-Bulkops-Delivery, the same on every retry',
  })
  id!: string;
  @ApiProperty({ enum: WEBHOOK_EVENTS }) event!: WebhookEvent;
  @ApiProperty({ format: 'uuid' }) jobId!: string;
  @ApiProperty({ enum: ['pending', 'delivered', 'failed'] }) status!: WebhookDeliveryStatus;
  @ApiProperty() attempts!: number;
  @ApiProperty({ nullable: true, type: Number }) lastStatusCode!: number | null;
  @ApiProperty({ nullable: true, type: String }) lastError!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true, type: String }) lastAttemptAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) nextAttemptAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) deliveredAt!: string | null;
}

/** One page of a delivery log, newest first. */
export class WebhookDeliveryPageDto {
  @ApiProperty({ type: [WebhookDeliveryDto] }) items!: WebhookDeliveryDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
