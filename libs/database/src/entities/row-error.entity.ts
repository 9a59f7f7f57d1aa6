import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A rejected row: its original cells (declaration order), where it came from and why. */
@Entity('row_error')
export class RowErrorEntity {
  @PrimaryColumn('uuid')
  jobId!: string;

  @PrimaryColumn('int')
  fileOrdinal!: number;

  @PrimaryColumn('int')
  sourceRow!: number;

  @Column('uuid')
  organizationId!: string;

  @Column('json')
  cells!: (string | null)[];

  @Column({ type: 'text', array: true })
  codes!: string[];

  @Column('text')
  message!: string;
}
