import { BulkopsError, ErrorCode } from '@bulkops/contracts';
import { listZip, printableName, type ListedZipEntry } from '@bulkops/csv';
import {
  bundleEntryOf,
  dependencyRank,
  type CsvDeclaration,
  type MediaDeclaration,
  type UploadEntry,
} from '@bulkops/objects';
import type { StorageService } from '@bulkops/storage';
import type { IngestEnv } from '../ingest.env';
import { checkLooksLikeZip, type UploadFile } from './upload-files';

/** One part of a bundle: a CSV file of a type, or a media type's folder. */
export type BundlePart =
  | { kind: 'csv'; name: string; declaration: CsvDeclaration; file: UploadFile }
  | { kind: 'media'; name: string; declaration: MediaDeclaration; entries: UploadEntry[] };

function unexpected(zipName: string, entry: string, reason: string): BulkopsError {
  return new BulkopsError(
    ErrorCode.UnexpectedZipEntry,
    `${zipName} contains '${printableName(entry)}': ${reason}`,
    { file: entry },
  );
}

/** An entry of a media folder as the type's reader sees it: named inside the folder. */
function insideFolder(entry: ListedZipEntry, inner: string): UploadEntry {
  return { name: inner, size: entry.size, refusal: entry.refusal, open: () => entry.open() };
}

/**
 * The parts of a bundle zip (spec/api.md "Bundles"), in the order they are applied: by type in
 * dependency order, a type's files by name. Every entry is judged before any is read: an entry of
 * no known type, another folder, a name given twice or a CSV the zip rules refuse fails the upload
 * (UNEXPECTED_ZIP_ENTRY and the like, naming the entry); so do more CSV files than allowed. The
 * files of a media folder are judged by the type's reader, one row each, as in its own uploads.
 */
export async function bundlePartsOf(
  storage: StorageService,
  uploadKey: string,
  zipName: string,
  env: IngestEnv,
): Promise<BundlePart[]> {
  await checkLooksLikeZip(storage, uploadKey, zipName, 'a bundle is a .zip of CSV files');
  const listed = await listZip(storage.source(uploadKey), {
    zipName,
    maxEntryBytes: env.ingestMaxFileBytes,
    allowFolders: true,
  });
  const csv: BundlePart[] = [];
  const media = new Map<string, BundlePart & { kind: 'media' }>();
  const seen = new Set<string>();
  for (const entry of listed) {
    const lower = entry.name.toLowerCase();
    if (seen.has(lower)) throw unexpected(zipName, entry.name, 'it is there twice; keep one');
    seen.add(lower);
    const kind = bundleEntryOf(entry.name);
    if (kind.kind === 'refused') throw unexpected(zipName, entry.name, kind.reason);
    if (kind.kind === 'media' && kind.declaration.file === 'zip') {
      const folder = media.get(kind.declaration.type) ?? {
        kind: 'media',
        name: `${kind.declaration.type}/`,
        declaration: kind.declaration,
        entries: [],
      };
      folder.entries.push(insideFolder(entry, kind.inner));
      media.set(kind.declaration.type, folder);
      continue;
    }
    if (entry.refusal) {
      throw new BulkopsError(entry.refusal.code, entry.refusal.message, { file: entry.name });
    }
    if (kind.declaration.file !== 'csv') continue;
    csv.push({ kind: 'csv', name: entry.name, declaration: kind.declaration, file: entry });
  }
  if (csv.length > env.ingestMaxZipEntries) {
    throw new BulkopsError(
      ErrorCode.TooManyFiles,
      `${zipName} holds more than ${env.ingestMaxZipEntries} CSV files; split it into several uploads`,
      { file: zipName },
    );
  }
  const parts = [...csv, ...media.values()];
  if (parts.length === 0) {
    throw new BulkopsError(
      ErrorCode.EmptyFile,
      `${zipName} holds no files; put {type}.csv files at its top level (and audio in audio-file/)`,
      { file: zipName },
    );
  }
  return parts.sort(
    (a, b) =>
      dependencyRank(a.declaration.type) - dependencyRank(b.declaration.type) ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
}
