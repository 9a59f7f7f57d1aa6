import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule, type LoadedEnv } from '@bulkops/config';
import { DatabaseModule } from '@bulkops/database';
import { ObservabilityModule } from '@bulkops/observability';
import { QueueModule } from '@bulkops/queue';
import { StorageModule } from '@bulkops/storage';
import { ApplyModule } from './apply/apply.module';
import { WorkerEnv } from './worker.env';

/** The worker service: imports only. */
@Module({})
export class WorkerModule {
  static forRoot(env: LoadedEnv): DynamicModule {
    const worker = env.get(WorkerEnv);
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(env),
        ObservabilityModule.forService('worker'),
        DatabaseModule,
        QueueModule.forRoot(),
        StorageModule,
        ApplyModule.forObjects(worker.objectTypes(), worker.workerConcurrency),
      ],
    };
  }
}
