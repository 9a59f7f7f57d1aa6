import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule, type LoadedEnv } from '@bulkops/config';
import { DatabaseModule } from '@bulkops/database';
import { ObservabilityModule } from '@bulkops/observability';
import { QueueModule } from '@bulkops/queue';
import { StorageModule } from '@bulkops/storage';
import { IngestFeatureModule } from './ingest/ingest.module';

/** The ingest service: imports only. */
@Module({})
export class IngestModule {
  static forRoot(env: LoadedEnv): DynamicModule {
    return {
      module: IngestModule,
      imports: [
        ConfigModule.forRoot(env),
        ObservabilityModule.forService('ingest'),
        DatabaseModule,
        QueueModule.forRoot(),
        StorageModule,
        IngestFeatureModule,
      ],
    };
  }
}
