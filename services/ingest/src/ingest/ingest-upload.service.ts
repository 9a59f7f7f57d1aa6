import { Injectable, Logger } from '@nestjs/common';
import {
  BulkopsError,
  ErrorCode,
  isBulkopsError,
  JobMode,
  UPLOAD_FAILURE_CODES,
  type JobFailure,
} from '@bulkops/contracts';
import {
  ChunkRepository,
  JobChangeRepository,
  JobRepository,
  JobViewRepository,
  type ChangeToUndo,
  type JobEntity,
  type JobRelease,
} from '@bulkops/database';
import {
  BUNDLE,
  getObject,
  OBJECT_TYPES,
  type CsvDeclaration,
  type ObjectDeclaration,
} from '@bulkops/objects';
import { Metrics } from '@bulkops/observability';
import { JobProducer } from '@bulkops/queue';
import { StorageService } from '@bulkops/storage';
import { DataSource } from 'typeorm';
import { IngestEnv } from '../ingest.env';
import { ChunkStager } from './chunk-stager';
import { withIngestLock } from './ingest-lock';
import { markDuplicateKeys } from './duplicate-keys';
import { stageMediaUpload } from './stage-media-upload';
import { readBundle } from './read-bundle';
import { stageCsvFile } from './stage-csv-file';
import { stageUndo } from './stage-undo';
import { csvFilesOf, mediaEntriesOf } from './upload-files';

/** What reading a whole upload found. */
type ReadResult = JobRelease;

/** Well inside status' STATUS_RECOVER_AFTER_MS (10 s by default): a live read never looks dead. */
const TOUCH_EVERY_MS = 2000;

/**
 * Validates a whole upload before any row is applied (spec/architecture.md step 2): zip structure,
 * per-file size and row limits, encoding, header, each row's own rules, duplicate keys across the
 * job. Rows are staged as chunks while reading; only when everything passed are the chunks
 * released (the job gets its chunk count) and status is nudged to dispatch them. A file-level
 * problem deletes the staged chunks and records the failure; status then ends the job FAILED.
 * Safe to run twice: a fresh run starts from scratch, a run after release only nudges.
 */
@Injectable()
export class IngestUploadService {
  private readonly logger = new Logger(IngestUploadService.name);
  private readonly bytesRead = this.metrics.counter(
    'bulkops_ingest_bytes_total',
    'Upload bytes ingest has read through, passed or rejected, by object type',
    ['object'],
  );
  private readonly rowsRead = this.metrics.counter(
    'bulkops_ingest_rows_total',
    'Rows of uploads that passed the file checks and were staged as chunks, by object type',
    ['object'],
  );

  constructor(
    private readonly dataSource: DataSource,
    private readonly jobs: JobRepository,
    private readonly chunks: ChunkRepository,
    private readonly storage: StorageService,
    private readonly producer: JobProducer,
    private readonly env: IngestEnv,
    private readonly metrics: Metrics,
    private readonly changes: JobChangeRepository,
    private readonly jobFiles: JobViewRepository,
  ) {}

  async ingest(jobId: string, orgId: string): Promise<void> {
    const outcome = await withIngestLock(this.dataSource, jobId, async () => {
      const job = await this.jobs.markStarted(orgId, jobId);
      if (job && job.ingestedAt === null) {
        await this.readWholeUpload(job);
      }
    });
    // Another replica is reading this upload right now (a re-send that was not needed): it nudges.
    if (outcome === 'busy') return;
    await this.producer.enqueue('ingest-finished', { jobId, orgId });
  }

  private async readWholeUpload(job: JobEntity): Promise<void> {
    // A bundle's rows are of every type its files name; any other job's of its own type.
    const declarations = job.object === BUNDLE ? OBJECT_TYPES : [getObject(job.object)];
    await this.chunks.deleteForJob(job.organizationId, job.id);
    let result: ReadResult;
    try {
      result = await this.read(job);
      for (const declaration of declarations) {
        await markDuplicateKeys(this.chunks, job, declaration, result.files);
      }
    } catch (error) {
      await this.chunks.deleteForJob(job.organizationId, job.id);
      if (isBulkopsError(error) && UPLOAD_FAILURE_CODES.has(error.code)) {
        this.bytesRead.inc({ object: job.object }, job.fileSize);
        const failure: JobFailure = {
          code: error.code,
          message: error.message,
          file: (error.details['file'] as string | undefined) ?? null,
        };
        await this.jobs.recordIngestFailure(job.organizationId, job.id, failure);
        this.logger.log(
          { orgId: job.organizationId, jobId: job.id, code: error.code },
          `upload rejected: ${error.message}`,
        );
        return;
      }
      throw error;
    }
    await this.dataSource.transaction((manager) =>
      this.jobs.recordRelease(manager, job.organizationId, job.id, result),
    );
    this.bytesRead.inc({ object: job.object }, job.fileSize);
    this.rowsRead.inc({ object: job.object }, result.totalRows);
    this.logger.log(
      {
        orgId: job.organizationId,
        jobId: job.id,
        object: job.object,
        rows: result.totalRows,
        chunks: result.chunkCount,
      },
      'upload passed the file checks',
    );
  }

  /** A sign of life at most every few seconds during a long read, so the reaper leaves the job alone. */
  private heartbeat(job: JobEntity): () => Promise<void> {
    let lastTouch = Date.now();
    return async () => {
      if (Date.now() - lastTouch <= TOUCH_EVERY_MS) return;
      lastTouch = Date.now();
      await this.jobs.touch(job.organizationId, job.id);
    };
  }

  /**
   * Reads the upload the way its declaration says (CSV files, or a media zip through its hooks), or
   * as a bundle of several types. An undo has no upload: its rows are the change records of the job
   * it takes back.
   */
  private async read(job: JobEntity): Promise<ReadResult> {
    if (job.mode === JobMode.Undo) return this.readChangesToUndo(job);
    if ((await this.storage.size(job.uploadKey)) === null) {
      throw new BulkopsError(
        ErrorCode.UploadMissing,
        `The upload of job ${job.id} is no longer in storage; submit the file again`,
        { file: job.fileName },
      );
    }
    const stager = new ChunkStager(
      this.chunks,
      job.id,
      job.organizationId,
      this.env.ingestChunkSize,
    );
    try {
      if (job.object !== BUNDLE) return await this.readWith(job, getObject(job.object), stager);
      const upload = { jobId: job.id, uploadKey: job.uploadKey, fileName: job.fileName };
      const read = await readBundle(upload, this.storage, stager, this.env, this.heartbeat(job));
      return { ...read, chunkCount: stager.chunkCount };
    } finally {
      // A failed read deletes the staged chunks: no INSERT may still be on its way then.
      await stager.settled().catch(() => undefined);
    }
  }

  /** Stages the rows that take back the changes of `job.undoOf`, straight from Postgres. */
  private async readChangesToUndo(job: JobEntity): Promise<ReadResult> {
    const undoOf = job.undoOf!;
    const stager = new ChunkStager(
      this.chunks,
      job.id,
      job.organizationId,
      this.env.ingestChunkSize,
    );
    const files = await this.jobFiles.filesOf(job.organizationId, undoOf);
    const { rows, release } = await this.changes.streamToUndo(job.organizationId, undoOf);
    try {
      return await stageUndo(
        { undoOf, object: job.object },
        files,
        rows as AsyncIterable<ChangeToUndo>,
        stager,
      );
    } finally {
      rows.destroy();
      await stager.settled().catch(() => undefined);
      await release();
    }
  }

  private async readWith(
    job: JobEntity,
    declaration: ObjectDeclaration,
    stager: ChunkStager,
  ): Promise<ReadResult> {
    switch (declaration.file) {
      case 'csv':
        return this.readCsvFiles(job, declaration, stager);
      case 'zip': {
        const upload = { jobId: job.id, fileName: job.fileName };
        const entries = await mediaEntriesOf(this.storage, job.uploadKey, job.fileName, this.env);
        stager.startFile(0);
        const rows = await stageMediaUpload(
          upload,
          entries,
          declaration,
          this.storage,
          stager,
          this.env,
          this.heartbeat(job),
        );
        // A media row always has every column in the report (objects.md §17), whatever the manifest holds.
        return {
          files: [{ name: job.fileName, rows }],
          columns: [...declaration.header],
          totalRows: rows,
          chunkCount: stager.chunkCount,
        };
      }
    }
  }

  private async readCsvFiles(
    job: JobEntity,
    declaration: CsvDeclaration,
    stager: ChunkStager,
  ): Promise<ReadResult> {
    const files = await csvFilesOf(
      this.storage,
      job.uploadKey,
      job.fileName,
      declaration,
      this.env,
    );
    const present = new Set<string>();
    const read: { name: string; rows: number }[] = [];
    const heartbeat = this.heartbeat(job);
    for (const [ordinal, file] of files.entries()) {
      stager.startFile(ordinal);
      const staged = await stageCsvFile(file, declaration, stager, this.env, heartbeat);
      staged.columns.forEach((name) => present.add(name));
      read.push({ name: file.name, rows: staged.rows });
    }
    await stager.settled();
    return {
      files: read,
      columns: declaration.header.filter((name) => present.has(name)),
      totalRows: read.reduce((sum, file) => sum + file.rows, 0),
      chunkCount: stager.chunkCount,
    };
  }
}
