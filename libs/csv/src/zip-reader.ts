import type { Readable } from 'node:stream';
import { Open, type File } from 'unzipper';
import { BulkopsError, ErrorCode, formatBytes } from '@bulkops/contracts';
import { byteLimit } from './byte-limit';

/** What a zip's entries may be. The policy decides per top-level file name. */
export interface ZipPolicy {
  /** Accept an entry by name (top level only), or say why it cannot be there. */
  accept(name: string): true | string;
  maxEntries: number;
  maxEntryBytes: number;
  /** Where the zip came from, for messages (`teams.zip`). */
  zipName: string;
}

/** An accepted entry: its name, declared size and a way to stream it (byte limit enforced). */
export interface ZipEntry {
  name: string;
  size: number;
  open(): Readable;
}

/** Random access to the zip's bytes (storage provides it). */
export interface ZipSource {
  size(): Promise<number>;
  stream(offset: number, length?: number): Readable;
}

function isIgnored(path: string): boolean {
  const base = path.split('/').pop() ?? path;
  return path.startsWith('__MACOSX/') || base.startsWith('.') || path.endsWith('/');
}

/**
 * Opens a zip of which every entry must be acceptable (a zip of CSV files, objects.md §1.1): the
 * entries `listZip` reports, where the first refusal fails the upload with its own code — inside a
 * folder or an unsafe path (UNEXPECTED_ZIP_ENTRY), encrypted (INVALID_ZIP), declaring more than the
 * limit (FILE_TOO_LARGE) — as does an entry the policy refuses, a name given twice, or more entries
 * than allowed (TOO_MANY_FILES). Entries come back sorted by name.
 */
export async function openZip(source: ZipSource, policy: ZipPolicy): Promise<ZipEntry[]> {
  const entries = await listZip(source, {
    zipName: policy.zipName,
    maxEntryBytes: policy.maxEntryBytes,
  });
  if (entries.length > policy.maxEntries) {
    throw new BulkopsError(
      ErrorCode.TooManyFiles,
      `${policy.zipName} holds more than ${policy.maxEntries} files; split it into several uploads`,
      { file: policy.zipName },
    );
  }
  const seen = new Set<string>();
  for (const entry of entries) {
    if (entry.refusal) {
      throw new BulkopsError(entry.refusal.code, entry.refusal.message, { file: entry.name });
    }
    const verdict = policy.accept(entry.name);
    if (verdict !== true) {
      throw new BulkopsError(
        ErrorCode.UnexpectedZipEntry,
        `${policy.zipName} contains '${entry.name}': ${verdict}`,
        { file: entry.name },
      );
    }
    const lower = entry.name.toLowerCase();
    if (seen.has(lower)) {
      throw new BulkopsError(
        ErrorCode.UnexpectedZipEntry,
        `${policy.zipName} contains '${entry.name}' twice; keep one`,
        { file: entry.name },
      );
    }
    seen.add(lower);
  }
  return entries;
}

/** An entry as `listZip` reports it: like a ZipEntry, plus why the zip rules refuse it (or null). */
export interface ListedZipEntry extends ZipEntry {
  refusal: { code: ErrorCode; message: string } | null;
}

/** A path that could leave the folder it is unpacked into (objects.md §1.1 zip safety). */
function isUnsafePath(path: string): boolean {
  return path.startsWith('/') || /^[a-zA-Z]:/.test(path) || path.split('/').includes('..');
}

/**
 * Lists a zip from its central directory for readers that judge entries one by one (a media zip,
 * where one bad file is a row error rather than a failed upload, objects.md §17). The same safety
 * rules as `openZip` apply, but an entry that breaks one is returned with its refusal instead of
 * failing the whole zip: inside a folder or an unsafe path (UNEXPECTED_ZIP_ENTRY), encrypted
 * (INVALID_ZIP), declaring more than the per-file limit (FILE_TOO_LARGE). `__MACOSX/` and dot-files
 * are left out. Counting entries is the caller's rule. Streaming an entry enforces the byte limit
 * and turns an unreadable entry into INVALID_ZIP. Entries come back sorted by name.
 */
export async function listZip(
  source: ZipSource,
  options: { zipName: string; maxEntryBytes: number },
): Promise<ListedZipEntry[]> {
  let files: File[];
  try {
    files = (await Open.custom(source)).files;
  } catch {
    throw new BulkopsError(
      ErrorCode.InvalidZip,
      `${options.zipName} is not a readable zip file; create it again with a zip tool`,
      {
        file: options.zipName,
      },
    );
  }
  const entries: ListedZipEntry[] = [];
  for (const file of files) {
    const path = file.path.replace(/\\/g, '/');
    if (isIgnored(path)) continue;
    let refusal: ListedZipEntry['refusal'] = null;
    if (path.includes('/') || isUnsafePath(path)) {
      refusal = {
        code: ErrorCode.UnexpectedZipEntry,
        message: `${options.zipName} contains '${path}', which is inside a folder; put the files at the top level of the zip`,
      };
    } else if ((file.flags & 0x1) !== 0) {
      refusal = {
        code: ErrorCode.InvalidZip,
        message: `${path} in ${options.zipName} is encrypted; zip it without a password`,
      };
    } else if (file.uncompressedSize > options.maxEntryBytes) {
      refusal = {
        code: ErrorCode.FileTooLarge,
        message: `${path} is ${formatBytes(file.uncompressedSize)}; the limit is ${formatBytes(options.maxEntryBytes)} per file, so split it`,
      };
    }
    entries.push({
      name: path,
      size: file.uncompressedSize,
      refusal,
      open: () => {
        const raw = file.stream();
        const limited = byteLimit(options.maxEntryBytes, path);
        // `pipe` does not forward errors: a damaged entry must fail the reader, not stall it.
        raw.on('error', (error: Error) =>
          limited.destroy(
            new BulkopsError(
              ErrorCode.InvalidZip,
              `${path} in ${options.zipName} cannot be unpacked (${error.message})`,
              { file: path },
            ),
          ),
        );
        return raw.pipe(limited);
      },
    });
  }
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Whether bytes start like a zip file (local file header, or an empty archive). */
export function looksLikeZip(head: Buffer): boolean {
  return (
    head.length >= 4 &&
    head[0] === 0x50 &&
    head[1] === 0x4b &&
    (head[2] === 0x03 || head[2] === 0x05)
  );
}
