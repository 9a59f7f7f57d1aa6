import { AdministratorEntity } from './administrator.entity';
import { ChunkLedgerEntity } from './chunk-ledger.entity';
import { ChunkEntity } from './chunk.entity';
import { RowErrorEntity } from './row-error.entity';
import { ApiTokenEntity } from './api-token.entity';
import { JobChangeChunkEntity } from './job-change-chunk.entity';
import { JobFileEntity } from './job-file.entity';
import { JobEntity } from './job.entity';
import { OrganizationEntity } from './organization.entity';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';
import { WebhookEntity } from './webhook.entity';

export {
  AdministratorEntity,
  ApiTokenEntity,
  ChunkEntity,
  ChunkLedgerEntity,
  JobChangeChunkEntity,
  JobEntity,
  JobFileEntity,
  OrganizationEntity,
  RowErrorEntity,
  WebhookDeliveryEntity,
  WebhookEntity,
};
export type { ChangeAction } from './job-change-chunk.entity';

/** The tracking tables. Chunks, ledger and row errors are mapped too but written in bulk SQL. */
export const TRACKING_ENTITIES = [
  OrganizationEntity,
  AdministratorEntity,
  ApiTokenEntity,
  JobEntity,
  JobFileEntity,
  ChunkEntity,
  ChunkLedgerEntity,
  RowErrorEntity,
  JobChangeChunkEntity,
  WebhookEntity,
  WebhookDeliveryEntity,
];
