import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule, type LoadedEnv } from '@bulkops/config';
import { DatabaseModule } from '@bulkops/database';
import { MutexModule } from '@bulkops/mutex';
import { ObservabilityModule } from '@bulkops/observability';
import { QueueModule } from '@bulkops/queue';
import { StorageModule } from '@bulkops/storage';
import { PipelineMetricsModule } from './metrics/pipeline-metrics.module';
import { ProgressModule } from './progress/progress.module';
import { WebhookDeliveryModule } from './webhooks/webhook-delivery.module';

/** The status service: imports only. */
@Module({})
export class StatusModule {
  static forRoot(env: LoadedEnv): DynamicModule {
    return {
      module: StatusModule,
      imports: [
        ConfigModule.forRoot(env),
        ObservabilityModule.forService('status'),
        DatabaseModule,
        QueueModule.forRoot(),
        MutexModule,
        StorageModule,
        ProgressModule,
        PipelineMetricsModule,
        WebhookDeliveryModule,
      ],
    };
  }
}
