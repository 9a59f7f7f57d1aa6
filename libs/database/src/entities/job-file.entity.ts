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
}
