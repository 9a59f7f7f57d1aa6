import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Injectable } from '@nestjs/common';
import { listZip, ZipWriter } from '@bulkops/csv';
import { RowErrorRepository, type JobEntity } from '@bulkops/database';
import { getObject, type MediaDeclaration, type ObjectDeclaration } from '@bulkops/objects';
import { StorageService } from '@bulkops/storage';

/** Writes one type's error CSV with the given header (ErrorReportService's CSV, as a stream). */
export type TypeReport = (declaration: ObjectDeclaration, header: readonly string[]) => Readable;

/** Media files larger than this are not a bundle's (the upload's per-file limit is far below). */
const MAX_MEDIA_BYTES = 1024 * 1024 * 1024;

/**
 * The error file of a bundle job (spec/api.md "Bundles"): a zip that re-uploads as a bundle. Each
 * type with rejected rows gets `{type}-errors.csv` (a media type: its folder's manifest, with the
 * rejected media files copied from the upload, so they can be fixed and sent again); a job without
 * rejected rows gets every type's header-only file. Entries are streamed one after another.
 */
@Injectable()
export class BundleErrorZip {
  constructor(
    private readonly rowErrors: RowErrorRepository,
    private readonly storage: StorageService,
  ) {}

  async write(job: JobEntity, output: Writable, report: TypeReport): Promise<void> {
    const types = await this.rowErrors.typesOf(job.organizationId, job.id);
    const rejected = types.filter((t) => t.rejected > 0);
    const zip = new ZipWriter();
    const piping = pipeline(zip.output, output);
    try {
      for (const type of rejected.length > 0 ? rejected : types) {
        const declaration = getObject(type.object);
        const header = declaration.header.filter((name) => type.columns.includes(name));
        if (declaration.file === 'csv') {
          zip.addFile(`${declaration.type}-errors.csv`, () => report(declaration, header));
          continue;
        }
        const folder = `${declaration.type}/`;
        zip.addFile(`${folder}${declaration.media.manifest}`, () => report(declaration, header));
        for (const [name, open] of await this.rejectedMedia(job, declaration)) {
          zip.addFile(`${folder}${name}`, open);
        }
      }
      await zip.end();
    } catch (error) {
      zip.output.destroy(error as Error);
    }
    await piping;
  }

  /** The media files of the type's rejected rows, as the upload still holds them. */
  private async rejectedMedia(
    job: JobEntity,
    declaration: MediaDeclaration,
  ): Promise<Map<string, () => Readable>> {
    const files = new Map<string, () => Readable>();
    const names = await this.rowErrors.rejectedSources(
      job.organizationId,
      job.id,
      declaration.type,
    );
    const wanted = new Set(
      names
        .filter((name) => name.toLowerCase().endsWith(declaration.media.extension))
        .map((name) => `${declaration.type}/${name}`.toLowerCase()),
    );
    if (wanted.size === 0 || (await this.storage.size(job.uploadKey)) === null) return files;
    const entries = await listZip(this.storage.source(job.uploadKey), {
      zipName: job.fileName,
      maxEntryBytes: MAX_MEDIA_BYTES,
      allowFolders: true,
    });
    for (const entry of entries) {
      if (entry.refusal || !wanted.has(entry.name.toLowerCase())) continue;
      files.set(entry.name.slice(declaration.type.length + 1), () => entry.open());
    }
    return files;
  }
}
