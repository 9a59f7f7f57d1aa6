import type { Readable } from 'node:stream';
import { BulkopsError, ErrorCode } from '@bulkops/contracts';
import { listZip, looksLikeZip, openZip, type ListedZipEntry } from '@bulkops/csv';
import type { ObjectDeclaration } from '@bulkops/objects';
import type { StorageService } from '@bulkops/storage';
import type { IngestEnv } from '../ingest.env';

/** One file of an upload: the upload itself for a bare CSV, or an entry of a zip. */
export interface UploadFile {
  name: string;
  open(): Readable;
}

async function head(storage: StorageService, key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of storage.source(key).stream(0, 4)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Fails the upload with INVALID_ZIP unless its bytes start like a zip. */
export async function checkLooksLikeZip(
  storage: StorageService,
  uploadKey: string,
  fileName: string,
  otherwise: string,
): Promise<void> {
  if (!looksLikeZip(await head(storage, uploadKey))) {
    throw new BulkopsError(ErrorCode.InvalidZip, `${fileName} is not a zip file; ${otherwise}`, {
      file: fileName,
    });
  }
}

/**
 * The CSV files of an upload, in the order they are read: a bare CSV is one file; a zip is checked
 * entry by entry (only top-level .csv files) and read in file-name order (objects.md §1.1).
 */
export async function csvFilesOf(
  storage: StorageService,
  uploadKey: string,
  fileName: string,
  declaration: ObjectDeclaration,
  env: IngestEnv,
): Promise<UploadFile[]> {
  if (!fileName.toLowerCase().endsWith('.zip')) {
    return [{ name: fileName, open: () => storage.open(uploadKey) }];
  }
  await checkLooksLikeZip(
    storage,
    uploadKey,
    fileName,
    'upload a .zip made by a zip tool, or the .csv itself',
  );
  const entries = await openZip(storage.source(uploadKey), {
    zipName: fileName,
    maxEntries: env.ingestMaxZipEntries,
    maxEntryBytes: env.ingestMaxFileBytes,
    accept: (name) =>
      name.toLowerCase().endsWith('.csv')
        ? true
        : `only .csv files may be in a ${declaration.label.toLowerCase()} zip; remove it`,
  });
  if (entries.length === 0) {
    throw new BulkopsError(
      ErrorCode.EmptyFile,
      `${fileName} holds no CSV files; put one or more ${declaration.type} CSV files at its top level`,
      { file: fileName },
    );
  }
  return entries;
}

/**
 * Every entry of a media upload (a zip of media files, objects.md §17), each with the refusal of
 * the zip safety rules when it breaks one; the type's media reader decides what each entry is.
 */
export async function mediaEntriesOf(
  storage: StorageService,
  uploadKey: string,
  fileName: string,
  env: IngestEnv,
): Promise<ListedZipEntry[]> {
  await checkLooksLikeZip(storage, uploadKey, fileName, 'upload a .zip made by a zip tool');
  return listZip(storage.source(uploadKey), {
    zipName: fileName,
    maxEntryBytes: env.ingestMaxFileBytes,
  });
}
