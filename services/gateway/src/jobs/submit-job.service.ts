import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Injectable, Logger } from '@nestjs/common';
import type { Request } from 'express';
import {
  BulkopsError,
  ErrorCode,
  isActiveStatus,
  JobAlreadyActiveError,
  JobMode,
} from '@bulkops/contracts';
import { byteLimit } from '@bulkops/csv';
import { JobRepository, type JobEntity, type Principal } from '@bulkops/database';
import { OrgLock } from '@bulkops/mutex';
import { getObject, type ObjectDeclaration } from '@bulkops/objects';
import { JobProducer } from '@bulkops/queue';
import { StorageKeys, StorageService } from '@bulkops/storage';
import { GatewayEnv } from '../gateway.env';
import { readMultipart, type FormFields } from './multipart-upload';

/** What a submission produced: a new job, or the one an earlier request with the same key made. */
export interface Submission {
  job: JobEntity;
  replayed: boolean;
}

interface StoredUpload {
  fileName: string;
  size: number;
  key: string;
}

const MODES = Object.values(JobMode) as string[];

/**
 * Accepts an upload (spec/api.md `POST /v1/jobs`): checks the request, takes the organization's
 * lock, streams the file to storage, records the job and enqueues `ingest-upload`. Every failure
 * after the lock was taken releases it, and nothing is left in storage.
 */
@Injectable()
export class SubmitJobService {
  private readonly logger = new Logger(SubmitJobService.name);

  constructor(
    private readonly jobs: JobRepository,
    private readonly lock: OrgLock,
    private readonly storage: StorageService,
    private readonly producer: JobProducer,
    private readonly env: GatewayEnv,
  ) {}

  async submit(
    request: Request,
    principal: Principal,
    idempotencyKey: string | null,
  ): Promise<Submission> {
    if (idempotencyKey !== null) {
      const earlier = await this.jobs.findByIdempotencyKey(principal.orgId, idempotencyKey);
      if (earlier) return { job: earlier, replayed: true };
    }
    const jobId = randomUUID();
    let release: (() => Promise<boolean>) | null = null;
    let storedKey: string | null = null;
    const takeLock = async () => {
      release ??= await this.acquire(principal.orgId, jobId);
    };
    try {
      const { fields, file } = await readMultipart(
        request,
        async (fileName, stream, fieldsSoFar) => {
          // Fields sent before the file are checked before a byte is stored, so a busy organization
          // or a wrong object type is refused without receiving the whole upload.
          if (fieldsSoFar['object'] !== undefined) {
            this.checkFields(fieldsSoFar, fileName);
            await takeLock();
          }
          const key = StorageKeys.incoming(jobId);
          storedKey = key;
          const size = await this.storeUpload(key, stream, fileName);
          return { fileName, size, key } satisfies StoredUpload;
        },
      );
      if (!file) {
        throw new BulkopsError(
          ErrorCode.InvalidRequest,
          'The request has no file; send the CSV or zip in the multipart field "file"',
        );
      }
      const { declaration, mode } = this.checkFields(fields, file.fileName);
      await takeLock();
      const uploadKey = StorageKeys.upload(jobId);
      await this.storage.move(file.key, uploadKey);
      storedKey = uploadKey;
      const job = await this.jobs.insertActive(principal.orgId, {
        id: jobId,
        adminId: principal.adminId,
        object: declaration.type,
        mode,
        fileName: file.fileName,
        fileSize: file.size,
        uploadKey,
        idempotencyKey,
      });
      try {
        await this.producer.enqueue('ingest-upload', { jobId, orgId: principal.orgId });
      } catch (error) {
        await this.jobs.deleteNew(principal.orgId, jobId);
        this.logger.error(
          { err: error, orgId: principal.orgId, jobId },
          'could not enqueue ingest-upload',
        );
        throw new BulkopsError(
          ErrorCode.ServiceUnavailable,
          'The job queue is not reachable right now; submit the file again in a moment.',
          {},
          true,
        );
      }
      return { job, replayed: false };
    } catch (error) {
      const undo = release as (() => Promise<boolean>) | null;
      if (undo) await undo().catch(() => undefined);
      if (storedKey) await this.storage.delete(storedKey).catch(() => undefined);
      if (error instanceof JobAlreadyActiveError && idempotencyKey !== null) {
        // Two requests with one key raced: the one that lost answers the winner's job.
        const earlier = await this.jobs.findByIdempotencyKey(principal.orgId, idempotencyKey);
        if (earlier) return { job: earlier, replayed: true };
      }
      throw error;
    }
  }

  /**
   * Takes the organization's lock or explains who holds it. A lock whose holder Postgres already
   * knows as finished is stale: status marks a job final before it releases the lock (and may die in
   * between), so a client that saw COMPLETED and submits at once must not be refused. Stale locks are
   * released with compare-and-delete on that holder, so a live job's lock is never taken.
   */
  private async acquire(orgId: string, jobId: string): Promise<() => Promise<boolean>> {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const outcome = await this.lock.acquire(orgId, jobId);
      if (outcome.acquired) return outcome.release;
      if (outcome.holder === null) continue; // released between our SET and GET
      const holder = await this.jobs.find(orgId, outcome.holder);
      if (!holder || isActiveStatus(holder.status)) throw new JobAlreadyActiveError(outcome.holder);
      await this.lock.release(orgId, outcome.holder);
    }
    const active = await this.jobs.findActive(orgId);
    throw new JobAlreadyActiveError(active?.id ?? 'unknown');
  }

  private checkFields(
    fields: FormFields,
    fileName: string,
  ): { declaration: ObjectDeclaration; mode: JobMode } {
    const objectType = fields['object'];
    if (!objectType) {
      throw new BulkopsError(
        ErrorCode.InvalidRequest,
        'The field "object" is missing; name the object type, e.g. object=team',
      );
    }
    const declaration = getObject(objectType);
    const mode = fields['mode'] ?? JobMode.Apply;
    if (!MODES.includes(mode)) {
      throw new BulkopsError(
        ErrorCode.InvalidRequest,
        `mode '${mode}' is not known; use apply or validate`,
      );
    }
    const lower = fileName.toLowerCase();
    const isZip = lower.endsWith('.zip');
    if (declaration.file === 'zip' && !isZip) {
      throw new BulkopsError(
        ErrorCode.InvalidRequest,
        `${declaration.label} uploads are .zip files; '${fileName}' is not one`,
      );
    }
    if (!isZip && !lower.endsWith('.csv')) {
      throw new BulkopsError(
        ErrorCode.InvalidRequest,
        `'${fileName}' is neither a .csv nor a .zip file; upload one CSV or a zip of CSV files`,
      );
    }
    return { declaration, mode: mode as JobMode };
  }

  private async storeUpload(key: string, stream: Readable, fileName: string): Promise<number> {
    const limit = fileName.toLowerCase().endsWith('.zip')
      ? this.env.gatewayMaxZipBytes
      : this.env.gatewayMaxCsvBytes;
    return this.storage.put(key, stream, [byteLimit(limit, fileName || 'the upload')]);
  }
}
