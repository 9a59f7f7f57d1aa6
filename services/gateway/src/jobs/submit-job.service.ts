import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Injectable, Logger } from '@nestjs/common';
import type { Request } from 'express';
import {
  BulkopsError,
  ErrorCode,
  isActiveStatus,
  JobAlreadyActiveError,
  JobMode,
  UPLOAD_MODES,
} from '@bulkops/contracts';
import { byteLimit, printableName } from '@bulkops/csv';
import { LockEnv } from '@bulkops/config';
import { JobRepository, uniqueViolation, type JobEntity, type Principal } from '@bulkops/database';
import { OrgLock } from '@bulkops/mutex';
import { BUNDLE, getObject, quote } from '@bulkops/objects';
import { JobProducer } from '@bulkops/queue';
import { StorageKeys, StorageService } from '@bulkops/storage';
import { GatewayEnv } from '../gateway.env';
import { IdempotentReplayService, type Fingerprint } from './idempotent-replay.service';
import { readMultipart, type FilePart, type FormFields } from './multipart-upload';
import { Sha256Tap } from './sha256-tap';
import { UploadLockLease } from './upload-lock-lease';

/** An upload stored for an earlier job, to be run again as a new job (POST /v1/jobs/{id}/apply). */
export interface StoredUpload {
  object: string;
  mode: JobMode;
  fileName: string;
  fileSize: number;
  fileSha256: string | null;
  uploadKey: string;
}

/** A job whose rows come from Postgres rather than an upload (an undo: its original's changes). */
export interface UploadlessJob {
  object: string;
  mode: JobMode;
  fileName: string;
  undoOf: string;
}

/** What a submission produced: a new job, or the one an earlier request with the same key made. */
export interface Submission {
  job: JobEntity;
  replayed: boolean;
}

/** One POST: the id its job would get, and what its Idempotency-Key already names. */
interface Attempt {
  jobId: string;
  orgId: string;
  key: string | null;
  earlier: JobEntity | null;
  /** Set while this attempt holds the organization's lock and is receiving the upload. */
  lease?: UploadLockLease;
}

/** What `lockOrBusy` answers when this attempt took the lock. */
const LOCKED = Symbol('locked');

/** How long a refused submit waits for the lock's holder to show up in Postgres, to name it. */
const HOLDER_VISIBLE_WITHIN_MS = 3000;

/** An upload's name, size and sha256, taken while it streamed in. */
interface UploadDigest {
  fileName: string;
  size: number;
  sha256: string;
}

/**
 * What the file part became: stored (a new job's upload, with the lock taken unless the fields came
 * after the file), or only fingerprinted (a retry, whose bytes matter only to compare them).
 */
type Received =
  | { kind: 'stored'; upload: UploadDigest & { key: string }; locked: boolean }
  | { kind: 'fingerprinted'; upload: UploadDigest; busyWith: string | null };

const MODES = UPLOAD_MODES as readonly string[];

/** The longest file name a job keeps (it shows up in job views, reports and messages). */
const MAX_FILE_NAME_CHARS = 255;

// Control characters, and what Postgres cannot store: a file name is shown, listed and stored.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f]|[\ud800-\udfff]/;

/** Swallows bytes: a retry's upload is read only to fingerprint it. */
function discardBytes(): Writable {
  return new Writable({ write: (_chunk, _encoding, callback) => callback() });
}

/**
 * Accepts an upload (spec/api.md `POST /v1/jobs`): checks the request, takes the organization's
 * lock, streams the file to storage while hashing it, records the job and enqueues `ingest-upload`.
 * A request whose Idempotency-Key already names a job (or the job another request is recording) is
 * a retry: its bytes are hashed, not stored, and it answers that job if it is the same request.
 * Every failure after the lock was taken releases it, and nothing is left in storage.
 */
@Injectable()
export class SubmitJobService {
  private readonly logger = new Logger(SubmitJobService.name);

  constructor(
    private readonly jobs: JobRepository,
    private readonly lock: OrgLock,
    private readonly storage: StorageService,
    private readonly producer: JobProducer,
    private readonly replays: IdempotentReplayService,
    private readonly env: GatewayEnv,
    private readonly lockEnv: LockEnv,
  ) {}

  async submit(
    request: Request,
    principal: Principal,
    idempotencyKey: string | null,
  ): Promise<Submission> {
    const attempt: Attempt = {
      jobId: randomUUID(),
      orgId: principal.orgId,
      key: idempotencyKey,
      earlier: idempotencyKey
        ? await this.jobs.findByIdempotencyKey(principal.orgId, idempotencyKey)
        : null,
    };
    const { fields, file } = await readMultipart(
      request,
      (part) => this.receive(attempt, part),
      () => this.discard(attempt),
    );
    if (!file) {
      throw new BulkopsError(
        ErrorCode.InvalidRequest,
        'The request has no file; send the CSV or zip in the multipart field "file"',
      );
    }
    try {
      const submission = await this.complete(attempt, file, fields, principal.adminId);
      if (submission.replayed) await this.discard(attempt);
      return submission;
    } catch (error) {
      await this.discard(attempt);
      throw error;
    }
  }

  /**
   * A new job over an upload stored for an earlier job: the organization's lock is taken as for an
   * upload (JOB_ALREADY_ACTIVE when busy), `check` runs while it is held (so nothing can start in
   * between), then the stored file is copied to the new job's own key. A copy, not a shared key:
   * each job owns its upload, so retention of either job never removes a file the other still
   * reads. Nothing is left behind when any step fails.
   */
  async submitStored(
    principal: Principal,
    stored: StoredUpload,
    check: () => Promise<void>,
  ): Promise<JobEntity> {
    return this.underLock(principal, check, async (attempt) => {
      const key = StorageKeys.incoming(attempt.jobId);
      await this.storage.copy(stored.uploadKey, key);
      const upload = {
        fileName: stored.fileName,
        size: stored.fileSize,
        sha256: stored.fileSha256 ?? '',
        key,
      };
      const fingerprint = { object: stored.object, mode: stored.mode, ...upload };
      const job = await this.record(attempt, upload, fingerprint, principal.adminId);
      if (!job) throw new Error('a job without an Idempotency-Key was not recorded');
      return job;
    });
  }

  /**
   * A new job without an upload of its own (an undo, whose ingest reads its rows from Postgres): the
   * organization's lock is taken as for an upload (JOB_ALREADY_ACTIVE when busy), `check` runs while
   * it is held (so nothing can start in between), then the job is recorded and sent to ingest.
   * Nothing is left behind when any step fails.
   */
  async submitUploadless(
    principal: Principal,
    job: UploadlessJob,
    check: () => Promise<void>,
  ): Promise<JobEntity> {
    return this.underLock(principal, check, (attempt) =>
      this.jobs.insertActive(attempt.orgId, {
        id: attempt.jobId,
        adminId: principal.adminId,
        ...job,
        fileSize: 0,
        uploadKey: '',
        idempotencyKey: null,
      }),
    );
  }

  /**
   * What a job made from something already stored goes through: the organization's lock, `check`
   * while it is held, `recordJob`, then the lock handed to the job and the job sent to ingest;
   * everything undone when a step fails.
   */
  private async underLock(
    principal: Principal,
    check: () => Promise<void>,
    recordJob: (attempt: Attempt) => Promise<JobEntity>,
  ): Promise<JobEntity> {
    const attempt: Attempt = {
      jobId: randomUUID(),
      orgId: principal.orgId,
      key: null,
      earlier: null,
    };
    try {
      await this.lockOrBusy(attempt);
      await check();
      const job = await recordJob(attempt);
      await attempt.lease?.end(true);
      attempt.lease = undefined;
      await this.enqueueIngest(job);
      return job;
    } catch (error) {
      await this.discard(attempt);
      throw error;
    }
  }

  /**
   * Takes in the file part. Fields sent before it are checked first, so a busy organization or a
   * wrong object type is refused before a byte is stored.
   */
  private async receive(attempt: Attempt, part: FilePart): Promise<Received> {
    try {
      const early =
        part.fieldsSoFar['object'] !== undefined
          ? this.checkFields(part.fieldsSoFar, part.fileName)
          : null;
      if (attempt.earlier) {
        return { kind: 'fingerprinted', upload: await this.fingerprint(part), busyWith: null };
      }
      if (!early) return { kind: 'stored', upload: await this.store(attempt, part), locked: false };
      const taken = await this.lockOrBusy(attempt);
      if (taken !== LOCKED) {
        return { kind: 'fingerprinted', upload: await this.fingerprint(part), busyWith: taken };
      }
      return { kind: 'stored', upload: await this.store(attempt, part), locked: true };
    } catch (error) {
      await this.discard(attempt);
      throw error;
    }
  }

  /** The whole request is in: a retry is answered, anything else becomes a job. */
  private async complete(
    attempt: Attempt,
    file: Received,
    fields: FormFields,
    adminId: string,
  ): Promise<Submission> {
    const { object, mode } = this.checkFields(fields, file.upload.fileName);
    const fingerprint: Fingerprint = { object, mode, ...file.upload };
    if (file.kind === 'fingerprinted') return this.retry(attempt, fingerprint, file.busyWith);
    if (!file.locked) {
      const taken = await this.lockOrBusy(attempt);
      if (taken !== LOCKED) return this.retry(attempt, fingerprint, taken);
    }
    const job = await this.record(attempt, file.upload, fingerprint, adminId);
    if (!job) return this.retry(attempt, fingerprint, null);
    await attempt.lease?.end(true);
    attempt.lease = undefined;
    await this.enqueueIngest(job);
    return { job, replayed: false };
  }

  /** Answers a request whose key names a job: that job if it is the same request, 422 if not. */
  private async retry(
    attempt: Attempt,
    fingerprint: Fingerprint,
    busyWith: string | null,
  ): Promise<Submission> {
    const key = attempt.key;
    const job = key
      ? (attempt.earlier ?? (await this.replays.jobOf(attempt.orgId, key, busyWith)))
      : null;
    if (!key || !job) {
      const readable = busyWith !== null && (await this.jobs.find(attempt.orgId, busyWith));
      throw new JobAlreadyActiveError(readable ? busyWith : null);
    }
    this.replays.checkSameRequest(job, key, fingerprint);
    return { job, replayed: true };
  }

  /**
   * Takes the organization's lock (LOCKED), or names the job that holds it (null: none readable) — for a request with an
   * Idempotency-Key, which may be a retry of that very job; anything else is refused with 409.
   * A lock whose holder Postgres already knows as finished is stale: status marks a job final
   * before it releases the lock (and may die in between), so a client that saw COMPLETED and
   * submits at once must not be refused. Stale locks are released with compare-and-delete on that
   * holder, so a live job's lock is never taken. A holder Postgres does not know yet is an upload
   * still being received (or a gateway that died receiving one: its short lock lapses within
   * JOB_LOCK_UPLOAD_TTL_MS); the refusal names it only once it is a job the caller can read.
   * The lock is taken for JOB_LOCK_UPLOAD_TTL_MS and renewed while the upload arrives.
   */
  private async lockOrBusy(attempt: Attempt): Promise<typeof LOCKED | string | null> {
    let holder: string | null = null;
    let receiving: string | null = null;
    for (let round = 0; round < 3 && holder === null && receiving === null; round += 1) {
      const ttlMs = this.lockEnv.jobLockUploadTtlMs;
      const outcome = await this.lock.acquire(attempt.orgId, attempt.jobId, ttlMs);
      if (outcome.acquired) {
        attempt.lease = new UploadLockLease(this.lock, attempt.orgId, attempt.jobId, ttlMs);
        return LOCKED;
      }
      if (outcome.holder === null) continue; // released between our SET and GET
      const job = await this.jobs.find(attempt.orgId, outcome.holder);
      if (!job) receiving = outcome.holder;
      else if (isActiveStatus(job.status)) holder = outcome.holder;
      else await this.lock.release(attempt.orgId, outcome.holder);
    }
    const active = async () => (await this.jobs.findActive(attempt.orgId))?.id ?? null;
    // A request with a key may be a retry of the very upload being received: `retry` waits for it.
    if (attempt.key !== null) return holder ?? receiving ?? (await active());
    if (receiving !== null) holder = await this.onceReadable(attempt.orgId, receiving);
    throw new JobAlreadyActiveError(holder ?? (await active()));
  }

  /** The holder's id once its job is in Postgres and active (a small upload is there in moments). */
  private async onceReadable(orgId: string, holder: string): Promise<string | null> {
    const deadline = Date.now() + HOLDER_VISIBLE_WITHIN_MS;
    while (Date.now() < deadline) {
      const job = await this.jobs.find(orgId, holder);
      if (job) return isActiveStatus(job.status) ? job.id : null;
      if ((await this.lock.holder(orgId)) !== holder) return null;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return null;
  }

  /** Moves the upload into place and inserts the job; null when a request with the key won meanwhile. */
  private async record(
    attempt: Attempt,
    upload: UploadDigest & { key: string },
    fingerprint: Fingerprint,
    adminId: string,
  ): Promise<JobEntity | null> {
    const uploadKey = StorageKeys.upload(attempt.jobId);
    await this.storage.move(upload.key, uploadKey);
    try {
      return await this.jobs.insertActive(attempt.orgId, {
        id: attempt.jobId,
        adminId,
        object: fingerprint.object,
        mode: fingerprint.mode,
        fileName: upload.fileName,
        fileSize: upload.size,
        // Empty for a stored upload of a job recorded before uploads were hashed.
        fileSha256: upload.sha256 || null,
        uploadKey,
        idempotencyKey: attempt.key,
      });
    } catch (error) {
      if (attempt.key !== null && uniqueViolation(error) === 'uq_job_org_idempotency_key')
        return null;
      throw error;
    }
  }

  private async enqueueIngest(job: JobEntity): Promise<void> {
    try {
      await this.producer.enqueue('ingest-upload', { jobId: job.id, orgId: job.organizationId });
    } catch (error) {
      await this.jobs.deleteNew(job.organizationId, job.id);
      this.logger.error(
        { err: error, orgId: job.organizationId, jobId: job.id },
        'could not enqueue ingest-upload',
      );
      throw new BulkopsError(
        ErrorCode.ServiceUnavailable,
        'The job queue is not reachable right now; submit the file again in a moment.',
        {},
        true,
      );
    }
  }

  /**
   * Leaves nothing of an attempt that made no job: its lock (compare-and-delete on its own job id,
   * so a lock it never took is untouched) and anything it stored.
   */
  private async discard(attempt: Attempt): Promise<void> {
    await attempt.lease?.end(false);
    attempt.lease = undefined;
    await Promise.all([
      this.lock.release(attempt.orgId, attempt.jobId).catch(() => false),
      this.storage.delete(StorageKeys.incoming(attempt.jobId)).catch(() => undefined),
      this.storage.delete(StorageKeys.job(attempt.jobId)).catch(() => undefined),
    ]);
  }

  private checkFields(fields: FormFields, fileName: string): { object: string; mode: JobMode } {
    const objectType = fields['object'];
    if (!objectType) {
      throw new BulkopsError(
        ErrorCode.InvalidRequest,
        'The field "object" is missing; name the object type, e.g. object=team, or bundle',
      );
    }
    // A bundle (spec/api.md "Bundles") is a zip of several types, always a zip.
    const declaration =
      objectType === BUNDLE ? { label: 'Bundle', file: 'zip' as const } : getObject(objectType);
    const mode = fields['mode'] ?? JobMode.Apply;
    if (!MODES.includes(mode)) {
      throw new BulkopsError(
        ErrorCode.InvalidRequest,
        `mode ${quote(mode)} is not known; use apply or validate`,
      );
    }
    if (fileName.length > MAX_FILE_NAME_CHARS || UNPRINTABLE.test(fileName)) {
      throw new BulkopsError(
        ErrorCode.InvalidRequest,
        `The file name ${quote(fileName)} is not usable; name the file with at most ${MAX_FILE_NAME_CHARS} printable characters`,
      );
    }
    const lower = fileName.toLowerCase();
    const isZip = lower.endsWith('.zip');
    if (declaration.file === 'zip' && !isZip) {
      throw new BulkopsError(
        ErrorCode.InvalidRequest,
        `${declaration.label} uploads are .zip files; ${quote(fileName)} is not one`,
      );
    }
    if (!isZip && !lower.endsWith('.csv')) {
      throw new BulkopsError(
        ErrorCode.InvalidRequest,
        `${quote(fileName)} is neither a .csv nor a .zip file; upload one CSV or a zip of CSV files`,
      );
    }
    return { object: objectType, mode: mode as JobMode };
  }

  /** FILE_TOO_LARGE past the limit of the file's kind (spec/api.md: 200 MB zip, 10 MB CSV). */
  private sizeLimit(fileName: string) {
    const limit = fileName.toLowerCase().endsWith('.zip')
      ? this.env.gatewayMaxZipBytes
      : this.env.gatewayMaxCsvBytes;
    return byteLimit(limit, fileName ? printableName(fileName) : 'the upload');
  }

  /** Streams the upload to storage under the attempt's incoming key, hashing it on the way. */
  private async store(attempt: Attempt, part: FilePart): Promise<UploadDigest & { key: string }> {
    const key = StorageKeys.incoming(attempt.jobId);
    const tap = new Sha256Tap();
    const size = await this.storage.put(key, part.stream, [this.sizeLimit(part.fileName), tap]);
    return { fileName: part.fileName, size, sha256: tap.hex(), key };
  }

  /** Reads a retry's upload only to hash it (the first request's bytes are stored already). */
  private async fingerprint(part: FilePart): Promise<UploadDigest> {
    const tap = new Sha256Tap();
    await pipeline(part.stream, this.sizeLimit(part.fileName), tap, discardBytes());
    return { fileName: part.fileName, size: tap.bytes, sha256: tap.hex() };
  }
}
