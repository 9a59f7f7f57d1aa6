import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { JobMode, JobStatus } from '@bulkops/contracts';

const bigint = {
  to: (v: number) => v,
  from: (v: string | null) => (v === null ? null : Number(v)),
};

/** One upload applied to one object type, and everything known about its progress. */
@Entity('job')
export class JobEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid')
  organizationId!: string;

  @Column('uuid')
  administratorId!: string;

  @Column('text')
  object!: string;

  @Column('text')
  mode!: JobMode;

  @Column('text')
  status!: JobStatus;

  /** For an undo job, the job whose changes it takes back (its change records are the rows). */
  @Column({ type: 'uuid', nullable: true })
  undoOf!: string | null;

  @Column('text')
  fileName!: string;

  @Column({ type: 'bigint', transformer: bigint })
  fileSize!: number;

  /** Where the upload lives in storage. */
  @Column('text')
  uploadKey!: string;

  @Column({ type: 'text', nullable: true })
  idempotencyKey!: string | null;

  /** sha256 (hex) of the upload; with object, mode, file name and size, what a key is bound to. */
  @Column({ type: 'text', nullable: true })
  fileSha256!: string | null;

  @Column({ type: 'timestamptz' })
  submittedAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  /** When ingest finished reading the upload (passed or failed). */
  @Column({ type: 'timestamptz', nullable: true })
  ingestedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  /** Set once the whole upload passed the file checks and its chunks were released. */
  @Column({ type: 'int', nullable: true })
  chunkCount!: number | null;

  /** Canonical columns present in the upload: the header of its error report. */
  @Column({ type: 'text', array: true, nullable: true })
  columns!: string[] | null;

  @Column('int')
  totalRows!: number;

  @Column('int')
  processedRows!: number;

  @Column('int')
  createdRows!: number;

  @Column('int')
  updatedRows!: number;

  @Column('int')
  deletedRows!: number;

  @Column('int')
  unchangedRows!: number;

  @Column('int')
  failedRows!: number;

  @Column({ type: 'text', nullable: true })
  failureCode!: string | null;

  @Column({ type: 'text', nullable: true })
  failureMessage!: string | null;

  @Column({ type: 'text', nullable: true })
  failureFile!: string | null;

  /** The most frequent row-error messages, stored when the job finished (null before). */
  @Column({ type: 'jsonb', nullable: true })
  errorSummary!: { message: string; count: number }[] | null;

  /** When an administrator asked to cancel the job; it ends CANCELLED once status settled it. */
  @Column({ type: 'timestamptz', nullable: true })
  cancelRequestedAt!: Date | null;

  /** How often the upload was sent to ingest again: the number in its queue job id. */
  @Column('int', { default: 0 })
  ingestAttempt!: number;

  /** When retention removed the job's upload, row errors and ledger (RETENTION_DAYS after it ended). */
  @Column({ type: 'timestamptz', nullable: true })
  purgedAt!: Date | null;

  /** Last sign of life; the reaper fails jobs whose progress stopped. */
  @Column({ type: 'timestamptz' })
  progressedAt!: Date;

  /**
   * Position of the job's last visible change in the feed of all job changes, set by a trigger
   * (migration AddJobChangeFeed); the id of its SSE events.
   */
  @Column({ type: 'bigint', transformer: bigint, insert: false, update: false })
  changeSeq!: number;
}
