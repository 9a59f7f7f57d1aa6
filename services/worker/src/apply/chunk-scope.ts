import type { EntityManager } from 'typeorm';
import type { ObjectDeclaration } from '@bulkops/objects';

/** The chunk being applied: its transaction, organization, job and type. */
export interface ChunkScope {
  readonly manager: EntityManager;
  readonly orgId: string;
  readonly jobId: string;
  readonly declaration: ObjectDeclaration;
  /** The job is a bundle: names the tables miss may be rows of its earlier types. */
  readonly bundle?: boolean;
  /** The job only validates: every write of the chunk is rolled back. */
  readonly validateOnly?: boolean;
}
