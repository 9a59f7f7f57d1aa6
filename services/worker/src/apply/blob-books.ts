import type { WriteResult } from '@bulkops/database';
import type { ObjectDeclaration } from '@bulkops/objects';
import type { ChunkScope } from './chunk-scope';
import type { LiveRow } from './chunk-rows';
import { ObjectBlobsService } from './object-blobs.service';

/**
 * The blob books of a chunk (media types): which blobs the rows about to be written name, so they
 * are kept before the write, and which the replaced or deleted state named and the new state does
 * not, so they are released after the commit. CSV types have no blob columns and no books.
 */
export class BlobBooks {
  constructor(
    private readonly scope: ChunkScope,
    private readonly blobs: ObjectBlobsService,
  ) {}

  /** Content a row writes: its own, or (a row without content) the stored content it keeps. */
  static contentOf(declaration: ObjectDeclaration, row: LiveRow): unknown[] {
    return row.content ?? row.existing?.content ?? declaration.content.map(() => null);
  }

  /** Whether the type has blob columns at all: the others keep books of nothing, for free. */
  private get hasBlobs(): boolean {
    return this.scope.declaration.content.some((c) => c.blob);
  }

  /** The organization's blob store holds every blob the rows about to be written name. */
  async keep(upserts: readonly LiveRow[]): Promise<void> {
    if (!this.hasBlobs) return;
    const { manager, declaration, orgId, jobId } = this.scope;
    const values = upserts.flatMap((row) =>
      ObjectBlobsService.valuesOf(declaration, BlobBooks.contentOf(declaration, row)),
    );
    await this.blobs.keep(manager, declaration, orgId, jobId, values);
  }

  /** Blobs the replaced or deleted state named and the new state does not. */
  released(
    upserts: readonly LiveRow[],
    deletes: readonly LiveRow[],
    written: readonly WriteResult[],
  ): string[] {
    if (!this.hasBlobs) return [];
    const { declaration } = this.scope;
    const writtenKeys = new Set(written.map((w) => w.keyNorm));
    const replaced = upserts.filter((row) => row.existing && writtenKeys.has(row.keyNorm));
    return [
      ...replaced.flatMap((row) => {
        const now = new Set(
          ObjectBlobsService.valuesOf(declaration, BlobBooks.contentOf(declaration, row)),
        );
        return ObjectBlobsService.valuesOf(declaration, row.existing!.content).filter(
          (value) => !now.has(value),
        );
      }),
      ...deletes.flatMap((row) => ObjectBlobsService.valuesOf(declaration, row.existing!.content)),
    ];
  }
}
