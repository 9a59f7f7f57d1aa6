import { Column, Entity, PrimaryColumn } from 'typeorm';

/** What a change did to its object. */
export type ChangeAction = 'create' | 'update' | 'delete';

/**
 * The objects one applied chunk created, updated or deleted (or, for a validate job, would have),
 * written with the chunk that made the changes (migration StoreJobChangesByChunk). `changes` holds
 * one array per change, in row order: `[rowIndex, action, objectId, keyDisplay, before, after,
 * sourceRow]`. Values are canonical text in declaration order (objects.md §1.9, references by
 * name), exactly what an export row holds; `before` is null for a create, `after` for a delete. The
 * view `job_change` reads them as one row per change.
 */
@Entity('job_change_chunk')
export class JobChangeChunkEntity {
  @PrimaryColumn('uuid')
  jobId!: string;

  @PrimaryColumn('int')
  chunkSeq!: number;

  @Column('uuid')
  organizationId!: string;

  /** The object type (kebab case) of the chunk's rows: a bundle's job changes several. */
  @Column('text')
  object!: string;

  @Column('int')
  fileOrdinal!: number;

  @Column('json')
  changes!: unknown[];

  /** The ids of the objects changed, in the order of `changes`. */
  @Column('uuid', { array: true })
  objectIds!: string[];
}
