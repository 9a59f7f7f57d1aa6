import { DatabaseEnv, LogEnv, QueueEnv, RedisEnv, StorageEnv } from '@bulkops/config';
import type { ServiceDefinition } from '@bulkops/observability';
import { IngestEnv } from './ingest.env';
import { IngestModule } from './ingest.module';

/** The ingest service as the shared bootstrap runs it. */
export const ingestService: ServiceDefinition = {
  name: 'ingest',
  defaultPort: 3001,
  envClasses: [DatabaseEnv, RedisEnv, QueueEnv, StorageEnv, LogEnv, IngestEnv],
  module: (env) => IngestModule.forRoot(env),
  batch: true,
};
