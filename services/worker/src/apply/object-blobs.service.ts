import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ObjectTableRepository } from '@bulkops/database';
import type { ObjectDeclaration } from '@bulkops/objects';
import { StorageKeys, StorageService } from '@bulkops/storage';

/**
 * The blob store of an organization's objects (the audio of audio files): bytes named by the sha256
 * in a blob content column, kept once per organization and type however many objects name them.
 *
 * - `keep` runs inside a chunk's transaction, before its rows are written: every blob the rows name
 *   is copied from the job's staged bytes unless the store has it already. Keeping is idempotent, so
 *   a chunk that is applied again after a crash keeps the same bytes under the same key.
 * - `release` runs after the chunk committed: blobs that no object names any more are removed.
 *
 * Both take the organization's blob lock for the type (until their transaction ends), so a release
 * can never remove bytes a concurrent chunk is about to name: either it sees that chunk's committed
 * rows, or that chunk's `keep` runs after it and copies the bytes again from its staging. A worker
 * that dies between a commit and its release leaves unnamed bytes behind, never a row without bytes;
 * status's blob collection (BlobCollector, with retention) removes those under the same lock.
 */
@Injectable()
export class ObjectBlobsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly objects: ObjectTableRepository,
    private readonly storage: StorageService,
  ) {}

  /** The blob values that content values (in declaration content order) name. */
  static valuesOf(
    declaration: ObjectDeclaration,
    content: readonly unknown[] | null | undefined,
  ): string[] {
    if (!content) return [];
    return declaration.content
      .filter((c) => c.blob && typeof content[c.index] === 'string')
      .map((c) => content[c.index] as string);
  }

  async keep(
    manager: EntityManager,
    declaration: ObjectDeclaration,
    orgId: string,
    jobId: string,
    values: readonly string[],
  ): Promise<void> {
    if (values.length === 0) return;
    await this.objects.lockBlobs(manager, declaration, orgId);
    for (const value of new Set(values)) {
      const kept = StorageKeys.blob(orgId, declaration.type, value);
      if ((await this.storage.size(kept)) !== null) continue;
      const staged = StorageKeys.stagedBlob(jobId, value);
      if ((await this.storage.size(staged)) === null) {
        throw new Error(
          `blob ${value} of job ${jobId} is neither kept for organization ${orgId} nor staged with the job`,
        );
      }
      await this.storage.copy(staged, kept);
    }
  }

  async release(
    declaration: ObjectDeclaration,
    orgId: string,
    values: readonly string[],
  ): Promise<void> {
    if (values.length === 0) return;
    await this.dataSource.transaction(async (manager) => {
      await this.objects.lockBlobs(manager, declaration, orgId);
      const named = await this.objects.referencedBlobs(manager, declaration, orgId, [
        ...new Set(values),
      ]);
      for (const value of new Set(values)) {
        if (!named.has(value))
          await this.storage.delete(StorageKeys.blob(orgId, declaration.type, value));
      }
    });
  }
}
