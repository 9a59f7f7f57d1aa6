import { Module, ValidationPipe, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { ConfigModule, type LoadedEnv } from '@bulkops/config';
import { DatabaseModule } from '@bulkops/database';
import { MutexModule } from '@bulkops/mutex';
import { ObservabilityModule } from '@bulkops/observability';
import { QueueModule } from '@bulkops/queue';
import { StorageModule } from '@bulkops/storage';
import { WebhooksModule } from '@bulkops/webhooks';
import { AdminSessionController } from './admin/admin-session.controller';
import { AdminSessions } from './admin/admin-sessions';
import { QueueBoard } from './admin/queue-board';
import { BearerAuthGuard } from './auth/bearer-auth.guard';
import { MeController } from './auth/me.controller';
import { DashboardController } from './dashboard/dashboard.controller';
import { HttpErrorFilter } from './errors/http-error.filter';
import { ExportController } from './export/export.controller';
import { OrgExportService } from './export/org-export.service';
import { EventsController } from './events/events.controller';
import { JobChangeListener } from './events/job-change-listener';
import { SseConnections } from './events/sse-connections';
import { ApplyPreviewService } from './jobs/apply-preview.service';
import { CancelJobService } from './jobs/cancel-job.service';
import { BundleErrorZip } from './jobs/bundle-error-zip';
import { JobChangesService } from './jobs/job-changes.service';
import { ErrorReportService } from './jobs/error-report.service';
import { IdempotentReplayService } from './jobs/idempotent-replay.service';
import { JobViewService } from './jobs/job-view.service';
import { JobReadCache } from './reads/job-read-cache.service';
import { RecentTokens } from './reads/recent-tokens.service';
import { PartialUploadSweeper } from './jobs/partial-upload-sweeper';
import { JobsController } from './jobs/jobs.controller';
import { SubmitJobService } from './jobs/submit-job.service';
import { UndoJobService } from './jobs/undo-job.service';
import { CsvExportService } from './objects/csv-export.service';
import { ExportLimiter } from './objects/export-limiter';
import { ObjectRecordsService } from './objects/object-records.service';
import { MediaExportService } from './objects/media-export.service';
import { ObjectsController } from './objects/objects.controller';
import { OpenExports } from './objects/open-exports';
import { WebhooksController } from './webhooks/webhooks.controller';

/** The HTTP API (spec/api.md). */
@Module({})
export class GatewayModule {
  static forRoot(env: LoadedEnv): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        ConfigModule.forRoot(env),
        ObservabilityModule.forService('gateway'),
        DatabaseModule,
        QueueModule.forRoot(),
        MutexModule,
        StorageModule,
        WebhooksModule,
      ],
      controllers: [
        ObjectsController,
        ExportController,
        JobsController,
        EventsController,
        MeController,
        AdminSessionController,
        DashboardController,
        WebhooksController,
      ],
      providers: [
        BearerAuthGuard,
        SubmitJobService,
        CancelJobService,
        UndoJobService,
        ApplyPreviewService,
        JobChangesService,
        PartialUploadSweeper,
        IdempotentReplayService,
        JobViewService,
        JobReadCache,
        RecentTokens,
        ErrorReportService,
        BundleErrorZip,
        CsvExportService,
        ExportLimiter,
        ObjectRecordsService,
        MediaExportService,
        OpenExports,
        OrgExportService,
        JobChangeListener,
        SseConnections,
        AdminSessions,
        QueueBoard,
        { provide: APP_FILTER, useClass: HttpErrorFilter },
        {
          provide: APP_PIPE,
          useValue: new ValidationPipe({
            transform: true,
            whitelist: true,
            forbidNonWhitelisted: true,
          }),
        },
      ],
    };
  }
}
