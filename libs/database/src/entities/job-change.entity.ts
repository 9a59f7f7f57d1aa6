import { Column, Entity, PrimaryColumn } from 'typeorm';

/** What a change did to its object. */
export type ChangeAction = 'create' | 'update' | 'delete';

/**
 * One object a job created, updated or deleted (or, for a validate job, would have), written with
 * the chunk that made the change. Values are canonical text in declaration order (objects.md §1.9,
 * references by name), exactly what an export row holds.
 */
@Entity('job_change')
export class JobChangeEntity {
  @PrimaryColumn('uuid')
  jobId!: string;

  @PrimaryColumn('int')
  chunkSeq!: number;

  /** Position of the row in its chunk. */
  @PrimaryColumn('int')
  rowIndex!: number;

  @Column('uuid')
  organizationId!: string;

  /** The object type (kebab case): a bundle's job changes several. */
  @Column('text')
  object!: string;

  @Column('text')
  action!: ChangeAction;

  /** The object's id; for a create, the id it was given. */
  @Column('uuid')
  objectId!: string;

  /** The key as the export writes it. */
  @Column('text')
  keyDisplay!: string;

  /** Update and delete: the canonical values before, in declaration order. */
  @Column({ type: 'json', nullable: true })
  before!: (string | null)[] | null;

  /** Create and update: the canonical values after, in declaration order. */
  @Column({ type: 'json', nullable: true })
  after!: (string | null)[] | null;

  @Column('int')
  fileOrdinal!: number;

  @Column('int')
  sourceRow!: number;
}
