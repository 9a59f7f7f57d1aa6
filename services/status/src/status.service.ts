import {
  DatabaseEnv,
  LockEnv,
  LogEnv,
  QueueEnv,
  RedisEnv,
  StorageEnv,
  WebhookEnv,
} from '@bulkops/config';
import type { ServiceDefinition } from '@bulkops/observability';
import { StatusEnv } from './status.env';
import { StatusModule } from './status.module';

/** The status service as the shared bootstrap runs it. */
export const statusService: ServiceDefinition = {
  name: 'status',
  defaultPort: 3003,
  envClasses: [DatabaseEnv, RedisEnv, QueueEnv, StorageEnv, LogEnv, LockEnv, StatusEnv, WebhookEnv],
  module: (env) => StatusModule.forRoot(env),
};
