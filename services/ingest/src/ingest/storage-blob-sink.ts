import { createHash, randomUUID } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import type { BlobSink } from '@bulkops/objects';
import { StorageKeys, type StorageService } from '@bulkops/storage';

/**
 * Keeps the media bytes of one job in storage, addressed by their sha256: they stream into an
 * incoming key while hashed, then move to `StorageKeys.stagedBlob`. A second ingest of the same job
 * moves the same bytes onto the same key, so a rerun after a crash is harmless. The worker keeps the
 * bytes for the organization when it applies the row (staged bytes of rejected rows stay with the job).
 */
export class StorageBlobSink implements BlobSink {
  constructor(
    private readonly storage: StorageService,
    private readonly jobId: string,
  ) {}

  async put(
    input: Readable,
    checks: readonly Transform[],
  ): Promise<{ sha256: string; bytes: number }> {
    const hash = createHash('sha256');
    const hashing = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        callback(null, chunk);
      },
    });
    const incoming = StorageKeys.incomingBlob(this.jobId, randomUUID());
    const bytes = await this.storage.put(incoming, input, [...checks, hashing]);
    const sha256 = hash.digest('hex');
    await this.storage.move(incoming, StorageKeys.stagedBlob(this.jobId, sha256));
    return { sha256, bytes };
  }
}
