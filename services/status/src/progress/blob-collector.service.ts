import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ObjectTableRepository, OrganizationRepository } from '@bulkops/database';
import { OBJECT_TYPES, type ObjectDeclaration } from '@bulkops/objects';
import { StorageKeys, StorageService } from '@bulkops/storage';

/** Kept blobs checked (and removed when unnamed) under one hold of an organization's blob lock. */
const BLOBS_PER_LOCK = 100;

/**
 * Blob collection, run with retention: removes the kept bytes (`StorageKeys.blob`) of every type
 * whose content names blobs that no object of the organization names any more. The worker removes
 * such bytes itself right after a chunk commits (ObjectBlobsService.release); this pass collects what
 * a worker that died in between left behind.
 *
 * Why no grace period is needed: a chunk keeps its blobs, writes its rows and commits in one
 * transaction holding the organization's blob lock of the type (ObjectTableRepository.lockBlobs).
 * A batch is removed only while this pass holds that same lock, after a reference check run once
 * the lock is granted (READ COMMITTED: the check's snapshot is taken after every chunk that held the
 * lock before has committed). So no chunk is between its `keep` and its commit while bytes go: a
 * chunk that committed is seen naming them, and one that has not kept yet copies them again from
 * its job's staged media when it does. A write still under way is not listed by storage at all.
 */
@Injectable()
export class BlobCollector {
  private readonly logger = new Logger(BlobCollector.name);
  /** The declarations whose content names blobs (the media types): found, never named. */
  private readonly declarations = OBJECT_TYPES.filter((d) => d.content.some((c) => c.blob));

  constructor(
    private readonly dataSource: DataSource,
    private readonly organizations: OrganizationRepository,
    private readonly objects: ObjectTableRepository,
    private readonly storage: StorageService,
  ) {}

  /** One pass over every organization's kept blobs; answers how many it removed. */
  async collect(): Promise<number> {
    let removed = 0;
    for (const orgId of await this.organizations.ids()) {
      for (const declaration of this.declarations) {
        removed += await this.collectKept(declaration, orgId);
      }
    }
    if (removed > 0) this.logger.log({ blobs: removed }, 'removed kept blobs no object names');
    return removed;
  }

  private async collectKept(declaration: ObjectDeclaration, orgId: string): Promise<number> {
    const prefix = StorageKeys.blobs(orgId, declaration.type);
    let removed = 0;
    let batch: string[] = [];
    for await (const key of this.storage.list(prefix)) {
      const value = key.slice(prefix.length + 1);
      // Only what `keep` writes: one object per value, directly under the type's prefix.
      if (StorageKeys.blob(orgId, declaration.type, value) !== key || value.includes('/')) continue;
      batch.push(value);
      if (batch.length < BLOBS_PER_LOCK) continue;
      removed += await this.removeUnnamed(declaration, orgId, batch);
      batch = [];
    }
    if (batch.length > 0) removed += await this.removeUnnamed(declaration, orgId, batch);
    return removed;
  }

  private async removeUnnamed(
    declaration: ObjectDeclaration,
    orgId: string,
    values: readonly string[],
  ): Promise<number> {
    return this.dataSource.transaction('READ COMMITTED', async (manager) => {
      await this.objects.lockBlobs(manager, declaration, orgId);
      const named = await this.objects.referencedBlobs(manager, declaration, orgId, values);
      const unnamed = values.filter((value) => !named.has(value));
      for (const value of unnamed) {
        await this.storage.delete(StorageKeys.blob(orgId, declaration.type, value));
      }
      return unnamed.length;
    });
  }
}
