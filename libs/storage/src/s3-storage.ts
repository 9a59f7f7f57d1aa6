import { PassThrough, Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { OnApplicationShutdown } from '@nestjs/common';
import {
  AbortMultipartUploadCommand,
  CopyObjectCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { StorageEnv } from '@bulkops/config';
import { StorageService, type RandomAccessSource } from './storage.service';

// Multipart parts: S3's minimum part size, two in flight. An upload holds at most ~3 parts in
// memory whatever its size (200 MB zips included).
const PART_SIZE = 5 * 1024 * 1024;
const PARTS_IN_FLIGHT = 2;
// DeleteObjects takes at most 1000 keys per request.
const DELETE_BATCH = 1000;

/** Where an S3 store lives: bucket and key prefix from `s3://bucket/prefix`. */
export interface S3Location {
  bucket: string;
  prefix: string;
}

/** Splits `s3://bucket/some/prefix` (validated by StorageEnv). */
export function parseS3Url(url: string): S3Location {
  const parsed = new URL(url);
  return { bucket: parsed.hostname, prefix: parsed.pathname.replace(/^\/+|\/+$/g, '') };
}

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

/**
 * Storage in an S3-compatible object store (STORAGE_URL=s3://bucket/prefix) through the AWS SDK v3:
 * writes stream in as multipart uploads (a failed one is aborted, so nothing is left behind and
 * nothing half-written is visible), reads stream out, random access is ranged GETs, `move` is a
 * server-side copy then a delete, and listing or deleting a prefix pages through ListObjectsV2
 * (deleting in batches).
 */
export class S3Storage extends StorageService implements OnApplicationShutdown {
  private readonly s3: S3Client;
  private readonly location: S3Location;

  constructor(env: StorageEnv) {
    super();
    this.location = parseS3Url(env.storageUrl ?? '');
    this.s3 = new S3Client({
      region: env.storageS3Region,
      endpoint: env.storageS3Endpoint,
      forcePathStyle: env.storageS3ForcePathStyle,
      credentials:
        env.storageS3AccessKeyId && env.storageS3SecretAccessKey
          ? {
              accessKeyId: env.storageS3AccessKeyId,
              secretAccessKey: env.storageS3SecretAccessKey,
            }
          : undefined,
      // Checksums only where the API requires them: several S3-compatible stores (GCS interop,
      // older MinIO) reject the SDK's newer default trailing checksums.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  private objectKey(key: string): string {
    const clean = StorageService.checkedKey(key);
    return this.location.prefix ? `${this.location.prefix}/${clean}` : clean;
  }

  /** Fails with one sentence when the bucket cannot be reached (checked once at start-up). */
  async checkReachable(): Promise<void> {
    try {
      await this.s3.send(new HeadBucketCommand({ Bucket: this.location.bucket }));
    } catch (error) {
      const reason = (error as Error).name || String(statusOf(error));
      throw new Error(
        `bulkops cannot use the object store bucket '${this.location.bucket}' (${reason}); create the bucket or fix STORAGE_URL, STORAGE_S3_ENDPOINT and the credentials`,
      );
    }
  }

  async put(key: string, input: Readable, transforms: Transform[] = []): Promise<number> {
    const body = new PassThrough();
    let bytes = 0;
    input.on('data', (chunk: Buffer) => (bytes += chunk.length));
    const upload = new Upload({
      client: this.s3,
      params: { Bucket: this.location.bucket, Key: this.objectKey(key), Body: body },
      partSize: PART_SIZE,
      queueSize: PARTS_IN_FLIGHT,
      leavePartsOnError: false,
    });
    const uploaded = upload.done();
    // A failed upload must also stop the reading side, or the pipeline would wait forever.
    uploaded.catch((error: unknown) => body.destroy(error as Error));
    try {
      await pipeline([input, ...transforms, body]);
    } catch (error) {
      await upload.abort().catch(() => undefined);
      await uploaded.catch(() => undefined);
      throw error;
    }
    await uploaded;
    return bytes;
  }

  private read(key: string, offset = 0, length?: number): Readable {
    const Key = this.objectKey(key);
    const Bucket = this.location.bucket;
    const range =
      offset > 0 || length ? `bytes=${offset}-${length ? offset + length - 1 : ''}` : undefined;
    const s3 = this.s3;
    async function* chunks(): AsyncGenerator<Buffer> {
      let body: Readable;
      try {
        body = (await s3.send(new GetObjectCommand({ Bucket, Key, Range: range })))
          .Body as Readable;
      } catch (error) {
        if (statusOf(error) === 416) return; // a range at or past the end: nothing, as a file read gives
        throw error;
      }
      yield* body as AsyncIterable<Buffer>;
    }
    return Readable.from(chunks(), { objectMode: false });
  }

  open(key: string): Readable {
    return this.read(key);
  }

  source(key: string): RandomAccessSource {
    let size: Promise<number> | null = null;
    return {
      size: () =>
        (size ??= this.size(key).then((bytes) => {
          if (bytes === null) throw new Error(`storage object '${key}' does not exist`);
          return bytes;
        })),
      stream: (offset, length) => this.read(key, offset, length),
    };
  }

  async size(key: string): Promise<number | null> {
    try {
      const head = await this.s3.send(
        new HeadObjectCommand({ Bucket: this.location.bucket, Key: this.objectKey(key) }),
      );
      return head.ContentLength ?? 0;
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw error;
    }
  }

  async copy(from: string, to: string): Promise<void> {
    const source = `${this.location.bucket}/${this.objectKey(from)}`;
    await this.s3.send(
      new CopyObjectCommand({
        Bucket: this.location.bucket,
        Key: this.objectKey(to),
        CopySource: source.split('/').map(encodeURIComponent).join('/'),
      }),
    );
  }

  /** A server-side copy, then the delete: no bytes travel through bulkops. */
  async move(from: string, to: string): Promise<void> {
    await this.copy(from, to);
    await this.s3.send(
      new DeleteObjectCommand({ Bucket: this.location.bucket, Key: this.objectKey(from) }),
    );
  }

  /** Multipart uploads under the prefix started more than `olderThanMs` ago and never completed. */
  async sweepPartial(olderThanMs: number): Promise<number> {
    const Bucket = this.location.bucket;
    const cutoff = Date.now() - olderThanMs;
    const page = await this.s3.send(
      new ListMultipartUploadsCommand({
        Bucket,
        ...(this.location.prefix ? { Prefix: `${this.location.prefix}/` } : {}),
      }),
    );
    let swept = 0;
    for (const upload of page.Uploads ?? []) {
      if (!upload.Key || !upload.UploadId || (upload.Initiated?.getTime() ?? 0) >= cutoff) continue;
      await this.s3.send(
        new AbortMultipartUploadCommand({ Bucket, Key: upload.Key, UploadId: upload.UploadId }),
      );
      swept += 1;
    }
    return swept;
  }

  async delete(key: string): Promise<void> {
    const Bucket = this.location.bucket;
    const exact = this.objectKey(key);
    await this.s3.send(new DeleteObjectCommand({ Bucket, Key: exact }));
    for await (const page of this.pages(`${exact}/`)) {
      const result = await this.s3.send(
        new DeleteObjectsCommand({
          Bucket,
          Delete: { Objects: page.map((Key) => ({ Key })), Quiet: true },
        }),
      );
      if (result.Errors?.length) {
        const first = result.Errors[0];
        throw new Error(
          `could not delete ${result.Errors.length} objects under '${key}' (first: ${first.Key}: ${first.Code})`,
        );
      }
    }
  }

  async *list(prefix: string): AsyncIterable<string> {
    const ours = this.location.prefix ? this.location.prefix.length + 1 : 0;
    for await (const page of this.pages(`${this.objectKey(prefix)}/`)) {
      yield* page.map((objectKey) => objectKey.slice(ours));
    }
  }

  /** The object keys (bucket side) under `Prefix`, a non-empty page of at most DELETE_BATCH at a time. */
  private async *pages(Prefix: string): AsyncGenerator<string[]> {
    let ContinuationToken: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectsV2Command({
          Bucket: this.location.bucket,
          Prefix,
          ContinuationToken,
          MaxKeys: DELETE_BATCH,
        }),
      );
      const keys = (page.Contents ?? []).flatMap((o) => (o.Key ? [o.Key] : []));
      if (keys.length > 0) yield keys;
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
  }

  onApplicationShutdown(): void {
    this.s3.destroy();
  }
}
