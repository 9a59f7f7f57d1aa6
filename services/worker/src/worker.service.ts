import { DatabaseEnv, LogEnv, QueueEnv, RedisEnv, StorageEnv } from '@bulkops/config';
import type { ServiceDefinition } from '@bulkops/observability';
import { WorkerEnv } from './worker.env';
import { WorkerModule } from './worker.module';

/** The worker as the shared bootstrap runs it. */
export const workerService: ServiceDefinition = {
  name: 'worker',
  defaultPort: 3002,
  envClasses: [DatabaseEnv, RedisEnv, QueueEnv, StorageEnv, LogEnv, WorkerEnv],
  module: (env) => WorkerModule.forRoot(env),
  batch: true,
};
