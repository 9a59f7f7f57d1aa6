import { Global, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { DatabaseEnv } from '@bulkops/config';
import { createDataSource } from './data-source';
import { ObjectRecordsRepository } from './objects/object-records.repository';
import { ObjectTableRepository } from './objects/object-table.repository';
import { AdministratorRepository } from './repositories/administrator.repository';
import { BundleTargetRepository } from './repositories/bundle-target.repository';
import { ChunkRepository } from './repositories/chunk.repository';
import { ChunkSettlementRepository } from './repositories/chunk-settlement.repository';
import { JobChangeRepository } from './repositories/job-change.repository';
import { JobChangeFeedRepository } from './repositories/job-change-feed.repository';
import { JobRepository } from './repositories/job.repository';
import { JobRetentionRepository } from './repositories/job-retention.repository';
import { JobViewRepository } from './repositories/job-view.repository';
import { JobStatsRepository } from './repositories/job-stats.repository';
import { LedgerRepository } from './repositories/ledger.repository';
import { OrganizationRepository } from './repositories/organization.repository';
import { RowErrorRepository } from './repositories/row-error.repository';
import { TokenRepository } from './repositories/token.repository';
import { WebhookDeliveryRepository } from './repositories/webhook-delivery.repository';
import { WebhookRepository } from './repositories/webhook.repository';

const REPOSITORIES = [
  AdministratorRepository,
  BundleTargetRepository,
  ChunkRepository,
  ChunkSettlementRepository,
  JobChangeRepository,
  JobChangeFeedRepository,
  JobRepository,
  JobRetentionRepository,
  JobViewRepository,
  JobStatsRepository,
  LedgerRepository,
  ObjectRecordsRepository,
  ObjectTableRepository,
  OrganizationRepository,
  RowErrorRepository,
  TokenRepository,
  WebhookDeliveryRepository,
  WebhookRepository,
];

/**
 * The service's one DataSource (connected before the module is ready) and every repository a
 * service uses. ProvisioningRepository is the CLI's alone and is not provided here.
 */
@Global()
@Module({
  providers: [
    {
      provide: DataSource,
      inject: [DatabaseEnv],
      useFactory: async (env: DatabaseEnv) => createDataSource(env).initialize(),
    },
    ...REPOSITORIES,
  ],
  exports: [DataSource, ...REPOSITORIES],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(private readonly moduleRef: ModuleRef) {}

  async onApplicationShutdown(): Promise<void> {
    const dataSource = this.moduleRef.get(DataSource, { strict: false });
    if (dataSource.isInitialized) await dataSource.destroy();
  }
}
