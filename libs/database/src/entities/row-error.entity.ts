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

  /** The entry of a media zip the row came from, when that is not its job file (objects.md §17). */
  @Column({ type: 'text', nullable: true })
  sourceFile!: string | null;

  /** With `sourceFile`: the manifest line of the row, or null when no manifest line names it. */
  @Column({ type: 'int', nullable: true })
  sourceLine!: number | null;
}
