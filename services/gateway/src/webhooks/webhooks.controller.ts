import { randomBytes, randomUUID } from 'node:crypto';
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import {
  BulkopsError,
  ErrorCode,
  Role,
  type CreatedWebhookView,
  type Page,
  type WebhookDeliveryView,
  type WebhookView,
} from '@bulkops/contracts';
import {
  WebhookRepository,
  type Principal,
  type WebhookDeliveryEntity,
  type WebhookEntity,
} from '@bulkops/database';
import { WebhookTargetPolicy } from '@bulkops/webhooks';
import { BearerAuthGuard } from '../auth/bearer-auth.guard';
import { CurrentPrincipal, Roles } from '../auth/principal';
import { keysetPage } from '../paging/keyset-page';
import { PageQuery } from '../paging/page.query';
import { deliveryCursor } from './delivery-cursor';
import {
  CreatedWebhookDto,
  CreateWebhookBody,
  WebhookDeliveryPageDto,
  WebhookDto,
} from './webhook.dto';

const notFound = () =>
  new BulkopsError(ErrorCode.NotFound, 'No webhook has this id in your organization.');

const UUID = new ParseUUIDPipe({ exceptionFactory: notFound });

/**
 * Webhooks (spec/api.md "Webhooks"): scripts are told when a job finishes instead of polling.
 * Registering checks the target; the status service sends the deliveries and keeps their log.
 */
@ApiTags('webhooks')
@ApiBearerAuth()
@UseGuards(BearerAuthGuard)
@Controller('v1/webhooks')
export class WebhooksController {
  constructor(
    private readonly webhooks: WebhookRepository,
    private readonly targets: WebhookTargetPolicy,
  ) {}

  @Post()
  @Roles(Role.Admin)
  @ApiOperation({
    summary: 'Register a URL to receive signed job.finished deliveries',
    description:
      'Answers the webhook with its signing secret, shown only in this answer. Loopback, link-local and private targets answer 400 WEBHOOK_TARGET_NOT_ALLOWED unless the operator set WEBHOOK_ALLOW_PRIVATE=true.',
  })
  @ApiCreatedResponse({ type: CreatedWebhookDto })
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateWebhookBody,
  ): Promise<CreatedWebhookView> {
    const url = this.targets.parse(body.url);
    await this.targets.check(url);
    const secret = `whsec_${randomBytes(32).toString('base64url')}`;
    const webhook = await this.webhooks.insert(principal.orgId, {
      id: randomUUID(),
      administratorId: principal.adminId,
      url: url.href,
      events: body.events,
      secret,
    });
    return { ...viewOf(webhook), secret };
  }

  @Get()
  @ApiOperation({ summary: "The organization's webhooks, oldest first (secrets are not shown)" })
  @ApiOkResponse({ type: [WebhookDto] })
  async list(@CurrentPrincipal() principal: Principal): Promise<WebhookView[]> {
    return (await this.webhooks.list(principal.orgId)).map(viewOf);
  }

  @Delete(':id')
  @Roles(Role.Admin)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Remove a webhook, its delivery log and the deliveries not yet sent' })
  @ApiNoContentResponse()
  async remove(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID) id: string,
  ): Promise<void> {
    if (!(await this.webhooks.delete(principal.orgId, id))) throw notFound();
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: "A webhook's delivery log, newest first" })
  @ApiOkResponse({ type: WebhookDeliveryPageDto })
  async deliveries(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID) id: string,
    @Query() query: PageQuery,
  ): Promise<Page<WebhookDeliveryView>> {
    if (!(await this.webhooks.find(principal.orgId, id))) throw notFound();
    const rows = await this.webhooks.deliveries(principal.orgId, id, {
      limit: query.limit + 1,
      before: query.cursor ? deliveryCursor.decode(query.cursor) : undefined,
    });
    const { page, nextCursor } = keysetPage(rows, query.limit, (last) =>
      deliveryCursor.encode(last),
    );
    return { items: page.map(deliveryViewOf), nextCursor };
  }
}

function viewOf(webhook: WebhookEntity): WebhookView {
  return {
    id: webhook.id,
    url: webhook.url,
    events: webhook.events,
    createdAt: webhook.createdAt.toISOString(),
  };
}

function deliveryViewOf(delivery: WebhookDeliveryEntity): WebhookDeliveryView {
  return {
    id: delivery.id,
    event: delivery.event,
    jobId: delivery.jobId,
    status: delivery.status,
    attempts: delivery.attempts,
    lastStatusCode: delivery.lastStatusCode,
    lastError: delivery.lastError,
    createdAt: delivery.createdAt.toISOString(),
    lastAttemptAt: delivery.lastAttemptAt?.toISOString() ?? null,
    nextAttemptAt: delivery.status === 'pending' ? delivery.nextAttemptAt.toISOString() : null,
    deliveredAt: delivery.deliveredAt?.toISOString() ?? null,
  };
}
