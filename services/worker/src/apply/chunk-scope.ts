import type { EntityManager } from 'typeorm';
import type { ObjectDeclaration } from '@bulkops/objects';

/** The chunk being applied: its transaction, organization, job and type. */
export interface ChunkScope {
  readonly manager: EntityManager;
  readonly orgId: string;
  readonly jobId: string;
  readonly declaration: ObjectDeclaration;
}
