import { Module, ValidationPipe, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { ConfigModule, type LoadedEnv } from '@bulkops/config';
import { DatabaseModule } from '@bulkops/database';
import { MutexModule } from '@bulkops/mutex';
import { ObservabilityModule } from '@bulkops/observability';
import { QueueModule } from '@bulkops/queue';
import { StorageModule } from '@bulkops/storage';
import { BearerAuthGuard } from './auth/bearer-auth.guard';
import { HttpErrorFilter } from './errors/http-error.filter';
import { ErrorReportService } from './jobs/error-report.service';
import { IdempotentReplayService } from './jobs/idempotent-replay.service';
import { JobViewService } from './jobs/job-view.service';
import { JobsController } from './jobs/jobs.controller';
import { SubmitJobService } from './jobs/submit-job.service';
import { CsvExportService } from './objects/csv-export.service';
import { ExportLimiter } from './objects/export-limiter';
import { ObjectRecordsService } from './objects/object-records.service';
import { MediaExportService } from './objects/media-export.service';
import { ObjectsController } from './objects/objects.controller';

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
      ],
      controllers: [ObjectsController, JobsController],
      providers: [
        BearerAuthGuard,
        SubmitJobService,
        IdempotentReplayService,
        JobViewService,
        ErrorReportService,
        CsvExportService,
        ExportLimiter,
        ObjectRecordsService,
        MediaExportService,
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
