import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One CSV (or media zip) of a job's upload, with its data row count. */
@Entity('job_file')
export class JobFileEntity {
  @PrimaryColumn('uuid')
  jobId!: string;

  @PrimaryColumn('int')
  ordinal!: number;

  @Column('text')
  name!: string;

  @Column('int')
  rows!: number;

  /** The object type the file holds (a bundle's files are of several types); null: the job's. */
  @Column({ type: 'text', nullable: true })
  object!: string | null;

  /** Canonical columns present in the file: with its type's other files, its error file's header. */
  @Column({ type: 'text', array: true, nullable: true })
  columns!: string[] | null;
}
