import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A slice of one file's rows, staged by ingest and applied by the worker in one transaction. Rows
 * live here, not in Redis: a lost queue loses no work. `rows` holds each row's raw cells in
 * declaration order with its source row number and the problems ingest found, if any (StagedRow).
 */
@Entity('chunk')
export class ChunkEntity {
  @PrimaryColumn('uuid')
  jobId!: string;

  @PrimaryColumn('int')
  seq!: number;

  @Column('uuid')
  organizationId!: string;

  @Column('int')
  fileOrdinal!: number;

  /** The object type of its rows (a bundle's chunks are of several types); null: the job's. */
  @Column({ type: 'text', nullable: true })
  object!: string | null;

  /** Chunks of a phase are dispatched once every chunk of the earlier phases is in the ledger. */
  @Column('int', { default: 0 })
  phase!: number;

  @Column('int')
  rowCount!: number;

  @Column('json')
  rows!: unknown;

  /** Normalised keys of the rows (null where the key is invalid), for the duplicate check. */
  @Column({ type: 'text', array: true })
  keys!: (string | null)[];

  /** Problems found after staging (duplicate keys), by row position. */
  @Column({ type: 'jsonb', nullable: true })
  rejections!: Record<string, unknown> | null;
}
