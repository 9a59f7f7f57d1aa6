import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Proof that a chunk was applied, with its counts; written in the chunk's own transaction. */
@Entity('chunk_ledger')
export class ChunkLedgerEntity {
  @PrimaryColumn('uuid')
  jobId!: string;

  @PrimaryColumn('int')
  seq!: number;

  @Column('uuid')
  organizationId!: string;

  /** The object type of the chunk, so a bundle's counts split by type; null: the job's. */
  @Column({ type: 'text', nullable: true })
  object!: string | null;

  @Column('int')
  rows!: number;

  @Column('int')
  created!: number;

  @Column('int')
  updated!: number;

  @Column('int')
  deleted!: number;

  @Column('int')
  unchanged!: number;

  @Column('int')
  failed!: number;

  @Column({ type: 'timestamptz' })
  appliedAt!: Date;
}
