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
import { serveQueueBoard } from './admin/serve-queue-board';
import { serveDashboardAssets } from './dashboard/serve-dashboard';
import { serveOpenApi } from './docs/openapi';
import { GatewayEnv } from './gateway.env';
import { GatewayModule } from './gateway.module';

/** The gateway as the shared bootstrap runs it. */
export const gatewayService: ServiceDefinition = {
  name: 'gateway',
  defaultPort: 3000,
  envClasses: [
    DatabaseEnv,
    RedisEnv,
    QueueEnv,
    StorageEnv,
    LogEnv,
    LockEnv,
    GatewayEnv,
    WebhookEnv,
  ],
  module: (env) => GatewayModule.forRoot(env),
  configure: (app) => {
    serveOpenApi(app);
    serveDashboardAssets(app);
    serveQueueBoard(app);
  },
};
