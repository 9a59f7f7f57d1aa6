import {
  Controller,
  Get,
  Headers,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  BulkopsError,
  ErrorCode,
  Role,
  type ChangeView,
  type JobView,
  type Page,
} from '@bulkops/contracts';
import { JobRepository, type JobEntity, type Principal } from '@bulkops/database';
import { BearerAuthGuard } from '../auth/bearer-auth.guard';
import { CurrentPrincipal, Roles } from '../auth/principal';
import { ApplyPreviewService } from './apply-preview.service';
import { CancelJobService } from './cancel-job.service';
import { ChangePageDto } from './change-page.dto';
import { JobChangesService } from './job-changes.service';
import { ErrorReportService } from './error-report.service';
import { JobPageDto, JobViewDto } from './job-view.dto';
import { JobViewService } from './job-view.service';
import { ListJobsQuery } from './list-jobs.query';
import { SubmitJobService } from './submit-job.service';
import { UndoJobService } from './undo-job.service';
import { attachment } from '../objects/download';
import { jobCursor } from './job-cursor';
import { keysetPage } from '../paging/keyset-page';
import { PageQuery } from '../paging/page.query';

const notFound = () =>
  new BulkopsError(ErrorCode.NotFound, 'No job has this id in your organization.');

const UUID = new ParseUUIDPipe({ exceptionFactory: notFound });

/** Bulk jobs (spec/api.md "Bulk jobs"). Every query is scoped to the token's organization. */
@ApiTags('jobs')
@ApiBearerAuth()
@UseGuards(BearerAuthGuard)
@Controller('v1/jobs')
export class JobsController {
  constructor(
    private readonly submitJob: SubmitJobService,
    private readonly jobs: JobRepository,
    private readonly views: JobViewService,
    private readonly errorReport: ErrorReportService,
    private readonly cancelJob: CancelJobService,
    private readonly undoJob: UndoJobService,
    private readonly jobChanges: JobChangesService,
    private readonly applyPreview: ApplyPreviewService,
  ) {}

  @Post()
  @Roles(Role.Admin)
  @ApiOperation({
    summary: 'Upload a CSV (or a zip of CSVs) to create, update and delete objects of one type',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['object', 'file'],
      properties: {
        object: {
          type: 'string',
          example: 'team',
          description:
            'An object type, or "bundle": a zip of {type}.csv / {type}-{part}.csv files and the folder audio-file/, applied type by type in dependency order',
        },
        mode: { type: 'string', enum: ['apply', 'validate'], default: 'apply' },
        file: { type: 'string', format: 'binary' },
      },
    },
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'A retried POST with the same key answers the original job (200); the same key with another object, mode or file answers 422 IDEMPOTENCY_KEY_REUSED',
  })
  @ApiAcceptedResponse({
    type: JobViewDto,
    description: 'The job was accepted; follow it at Location',
  })
  @ApiOkResponse({
    type: JobViewDto,
    description: 'The job an earlier request with the same Idempotency-Key created',
  })
  async submit(
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
    @CurrentPrincipal() principal: Principal,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
  ): Promise<JobView> {
    const key = idempotencyKey?.trim() || null;
    if (key !== null && key.length > 200) {
      throw new BulkopsError(
        ErrorCode.InvalidRequest,
        'Idempotency-Key is longer than 200 characters',
      );
    }
    const { job, replayed } = await this.submitJob.submit(request, principal, key);
    return this.created(response, job, replayed ? HttpStatus.OK : HttpStatus.ACCEPTED);
  }

  @Get()
  @ApiOperation({ summary: "The organization's jobs, most recent first" })
  @ApiOkResponse({ type: JobPageDto })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListJobsQuery,
  ): Promise<Page<JobView>> {
    const jobs = await this.views.list(principal.orgId, {
      limit: query.limit + 1,
      before: query.cursor ? jobCursor.decode(query.cursor) : undefined,
      status: query.status,
      object: query.object,
    });
    const { page, nextCursor } = keysetPage(jobs, query.limit, (last) =>
      jobCursor.encode(last.job),
    );
    return { items: page.map((p) => p.view), nextCursor };
  }

  @Get('active')
  @ApiOperation({ summary: 'The active job, or 204 when there is none' })
  @ApiOkResponse({ type: JobViewDto })
  @ApiNoContentResponse()
  async active(
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: Response,
  ): Promise<JobView | undefined> {
    const view = await this.views.active(principal.orgId);
    if (!view) {
      response.status(HttpStatus.NO_CONTENT);
      return undefined;
    }
    return view;
  }

  @Get(':id')
  @ApiOperation({ summary: 'One job' })
  @ApiOkResponse({ type: JobViewDto })
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID) id: string,
  ): Promise<JobView> {
    const view = await this.views.find(principal.orgId, id);
    if (!view) throw notFound();
    return view;
  }

  @Get(':id/errors')
  @ApiOperation({
    summary:
      'The rejected rows as a CSV that can be corrected and uploaded again; for a bundle job, a zip of {type}-errors.csv files that uploads again as a bundle',
  })
  @ApiProduces('text/csv', 'application/zip')
  async errors(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID) id: string,
    @Res() response: Response,
  ): Promise<void> {
    const job = await this.find(principal, id);
    response.setHeader('Content-Type', this.errorReport.contentType(job));
    response.setHeader('Content-Disposition', attachment(this.errorReport.fileName(job)));
    await this.errorReport.write(job, response);
  }

  @Get(':id/changes')
  @ApiOperation({
    summary:
      'What the job changed, or for a mode=validate job what an apply of the same upload would change',
    description:
      'CSV by default (Object, Key, Action, Column, Old Value, New Value, Source File, Source Row): an UPDATE has one line per changed column; a CREATE or DELETE has one line with Column empty and the values as `Column=value` pairs separated by `; ` in New Value (CREATE) or Old Value (DELETE); an UPDATE of a media object whose bytes alone changed has one line with Column `(file content)`. Values are canonical text, references by name, as an export writes them. With `Accept: application/json`: pages of ChangeView (`limit`, `cursor`).',
  })
  @ApiProduces('text/csv', 'application/json')
  @ApiOkResponse({ type: ChangePageDto, description: 'With Accept: application/json' })
  async changes(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID) id: string,
    @Query() query: PageQuery,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const job = await this.find(principal, id);
    // CSV unless the client prefers JSON: a browser or curl without Accept gets the file.
    if (request.accepts(['text/csv', 'application/json']) === 'application/json') {
      const page: Page<ChangeView> = await this.jobChanges.page(job, query.limit, query.cursor);
      response.json(page);
      return;
    }
    response.setHeader('Content-Type', 'text/csv; charset=utf-8');
    response.setHeader('Content-Disposition', attachment(this.jobChanges.fileName(job)));
    await this.jobChanges.writeCsv(job, response);
  }

  @Post(':id/apply')
  @Roles(Role.Admin)
  @ApiOperation({
    summary:
      'Apply what a finished mode=validate job previewed: a new apply job over the same stored upload',
    description:
      '409 NOT_A_PREVIEW unless the job is a finished (COMPLETED or COMPLETED_WITH_ERRORS) validate job whose upload retention has not removed; 409 PREVIEW_STALE when another job of the organization changed objects after the preview finished; 409 JOB_ALREADY_ACTIVE while another job runs.',
  })
  @ApiAcceptedResponse({
    type: JobViewDto,
    description: 'The apply job was accepted; follow it at Location',
  })
  async apply(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID) id: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<JobView> {
    const preview = await this.find(principal, id);
    return this.created(response, await this.applyPreview.apply(principal, preview));
  }

  @Post(':id/cancel')
  @Roles(Role.Admin)
  @ApiOperation({
    summary:
      'Stop an active job: it ends CANCELLED, rows applied stay applied and counted, the rows never applied are its error file',
  })
  @ApiAcceptedResponse({
    type: JobViewDto,
    description: 'The cancel is recorded; the job ends CANCELLED shortly (follow it as usual)',
  })
  async cancel(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID) id: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<JobView> {
    const job = await this.cancelJob.cancel(principal.orgId, id);
    response.status(HttpStatus.ACCEPTED);
    return this.views.viewOf(job);
  }

  @Post(':id/undo')
  @Roles(Role.Admin)
  @ApiOperation({
    summary:
      "Take back the organization's most recent finished apply job (an undo included): a new job (mode undo) restores the state before it; objects changed since are left alone and listed in its error file",
  })
  @ApiAcceptedResponse({
    type: JobViewDto,
    description:
      'The undo job was created; follow it at Location (409 UNDO_NOT_LATEST for an older job)',
  })
  async undo(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UUID) id: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<JobView> {
    return this.created(response, await this.undoJob.undo(principal, id));
  }

  /**
   * The answer to a request that made (or, replayed, found) a job: its status, Location and view.
   * This gateway's cached lists of the organization go at once, so the client's next read shows
   * the job without waiting for Postgres' notification.
   */
  private created(response: Response, job: JobEntity, status = HttpStatus.ACCEPTED) {
    response.status(status).setHeader('Location', `/v1/jobs/${job.id}`);
    this.views.changed(job);
    return this.views.viewOf(job);
  }

  private async find(principal: Principal, id: string): Promise<JobEntity> {
    const job = await this.jobs.find(principal.orgId, id);
    if (!job) throw notFound();
    return job;
  }
}
