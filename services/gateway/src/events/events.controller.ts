import { Controller, Get, Headers, Param, ParseUUIDPipe, Res, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { BulkopsError, ErrorCode } from '@bulkops/contracts';
import { JobChangeFeedRepository, JobRepository, type Principal } from '@bulkops/database';
import { BearerAuthGuard } from '../auth/bearer-auth.guard';
import { CurrentPrincipal } from '../auth/principal';
import { ErrorBodyDto } from '../errors/error-body.dto';
import { GatewayEnv } from '../gateway.env';
import { JobViewService } from '../jobs/job-view.service';
import { JobChangeListener } from './job-change-listener';
import { JobEventStream } from './job-event-stream';
import { parseLastEventId } from './last-event-id';
import { OrganizationEventStream } from './organization-event-stream';
import { SseConnections, type StreamKind } from './sse-connections';
import { SseStream } from './sse-stream';

const NOT_FOUND = 'No job has this id in your organization.';
const UUID = new ParseUUIDPipe({
  exceptionFactory: () => new BulkopsError(ErrorCode.NotFound, NOT_FOUND),
});

const LAST_EVENT_ID = {
  name: 'Last-Event-ID',
  required: false,
  description:
    'The id of the last event received; the stream then sends only what changed after it. Event ids are the position of a change in the feed of all job changes, so they only grow.',
};

const SSE_FORMAT =
  'Server-Sent Events (text/event-stream). Every event has an `id:`; comment lines (`: heartbeat`) keep idle connections open. Browsers: read it with fetch and a stream reader, since EventSource cannot send the Authorization header; never put the token in the URL.';

/** Live job progress over Server-Sent Events (spec/api.md); any valid token may follow its jobs. */
@ApiTags('events')
@ApiBearerAuth()
@UseGuards(BearerAuthGuard)
@Controller('v1')
export class EventsController {
  constructor(
    private readonly jobs: JobRepository,
    private readonly changes: JobChangeFeedRepository,
    private readonly views: JobViewService,
    private readonly listener: JobChangeListener,
    private readonly connections: SseConnections,
    private readonly env: GatewayEnv,
  ) {}

  @Get('jobs/:id/events')
  @ApiOperation({
    summary: "A job's progress as it happens",
    description: `${SSE_FORMAT} \`event: progress\` carries the job JSON (as GET /v1/jobs/{id}) whenever its counts or status change; the first event is the job as it is now (with Last-Event-ID: only if it changed since). At a final status the stream sends \`event: final\` with the final job and ends; a client stops reconnecting when it gets it.`,
  })
  @ApiHeader(LAST_EVENT_ID)
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'The event stream' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'NOT_FOUND' })
  @ApiServiceUnavailableResponse({ type: ErrorBodyDto, description: 'Too many open streams' })
  async jobEvents(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID) id: string,
    @Headers('last-event-id') lastEventIdHeader: string | undefined,
    @Res() response: Response,
  ): Promise<void> {
    const lastEventId = parseLastEventId(lastEventIdHeader);
    const job = await this.jobs.find(principal.orgId, id);
    if (!job) throw new BulkopsError(ErrorCode.NotFound, NOT_FOUND);
    const stream = this.open(response, 'job');
    new JobEventStream(
      principal.orgId,
      id,
      lastEventId ?? 0,
      stream,
      this.jobs,
      this.views,
      this.listener,
    );
  }

  @Get('events')
  @ApiOperation({
    summary: "Every change of the organization's jobs as it happens (the dashboard's job list)",
    description: `${SSE_FORMAT} A fresh stream starts with \`event: ready\` whose id is the organization's latest change; then \`event: job\` carries a job's JSON (as GET /v1/jobs/{id}) whenever one is created or changes. With Last-Event-ID the stream first sends every job that changed since.`,
  })
  @ApiHeader(LAST_EVENT_ID)
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'The event stream' })
  @ApiServiceUnavailableResponse({ type: ErrorBodyDto, description: 'Too many open streams' })
  organizationEvents(
    @CurrentPrincipal() principal: Principal,
    @Headers('last-event-id') lastEventIdHeader: string | undefined,
    @Res() response: Response,
  ): void {
    const lastEventId = parseLastEventId(lastEventIdHeader);
    const stream = this.open(response, 'organization');
    new OrganizationEventStream(
      principal.orgId,
      lastEventId,
      stream,
      this.jobs,
      this.changes,
      this.views,
      this.listener,
    );
  }

  private open(response: Response, kind: StreamKind): SseStream {
    try {
      this.connections.checkCapacity();
    } catch (error) {
      response.setHeader('Retry-After', '5');
      throw error;
    }
    const stream = new SseStream(response, this.env.gatewayEventHeartbeatMs);
    this.connections.add(stream, kind);
    return stream;
  }
}
