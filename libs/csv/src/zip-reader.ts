import { Transform, type Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
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
 * entries `listZip` reports, where the first refusal fails the upload with its own code (see
 * `listZip`), as does an entry the policy refuses, a name given twice, or more entries than allowed
 * (TOO_MANY_FILES). Entries come back sorted by name.
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
        `${policy.zipName} contains '${printableName(entry.name)}': ${verdict}`,
        { file: entry.name },
      );
    }
    const lower = entry.name.toLowerCase();
    if (seen.has(lower)) {
      throw new BulkopsError(
        ErrorCode.UnexpectedZipEntry,
        `${policy.zipName} contains '${printableName(entry.name)}' twice; keep one`,
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

/** How `listZip` reads a zip. */
export interface ListOptions {
  zipName: string;
  maxEntryBytes: number;
  /**
   * Entries one folder deep are not refused for being in a folder (a bundle's `audio-file/`); the
   * caller judges the folder's name. Deeper entries and unsafe paths still are.
   */
  allowFolders?: boolean;
}

/** A path that could leave the folder it is unpacked into (objects.md §1.1 zip safety). */
function isUnsafePath(path: string): boolean {
  return path.startsWith('/') || /^[a-zA-Z]:/.test(path) || path.split('/').includes('..');
}

/** The longest entry name bulkops keeps (as a file name it shows up in reports and job views). */
const MAX_ENTRY_NAME_CHARS = 255;

// C0 and C1 controls, DEL, and U+FFFD, which stands for bytes of the name that are not UTF-8.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\ufffd]/;

/**
 * A name from a zip as a message may quote it: unprintable characters shown as '?', and at most
 * 80 characters with '…' — the name is the uploader's, the message is ours.
 */
export function printableName(name: string): string {
  const shown = name.replace(new RegExp(UNPRINTABLE.source, 'g'), '?');
  return shown.length > 80 ? `${shown.slice(0, 79)}…` : shown;
}

// Unix file type bits of the external attributes (made by a Unix zip tool): a symbolic link.
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

function isSymlink(file: File): boolean {
  return (
    file.versionMadeBy >> 8 === 3 && ((file.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK
  );
}

/** Stored (0) or deflated (8): what unzipper unpacks. */
const READABLE_METHODS = new Set([0, 8]);

/** Why an entry of the central directory is refused by the zip safety rules, or null. */
function refusalOf(file: File, path: string, options: ListOptions): ListedZipEntry['refusal'] {
  const shown = printableName(path);
  const depth = path.split('/').length - 1;
  if (depth > (options.allowFolders ? 1 : 0) || isUnsafePath(path)) {
    return {
      code: ErrorCode.UnexpectedZipEntry,
      message: `${options.zipName} contains '${shown}', which is inside a folder; put the files at the top level of the zip`,
    };
  }
  if (UNPRINTABLE.test(path) || path.length > MAX_ENTRY_NAME_CHARS) {
    return {
      code: ErrorCode.UnexpectedZipEntry,
      message: `${options.zipName} contains an entry named '${shown}'; a file name must be UTF-8 text of at most ${MAX_ENTRY_NAME_CHARS} printable characters, so rename it`,
    };
  }
  if (isSymlink(file)) {
    return {
      code: ErrorCode.UnexpectedZipEntry,
      message: `${shown} in ${options.zipName} is a symbolic link; put the file itself in the zip`,
    };
  }
  if ((file.flags & 0x1) !== 0) {
    return {
      code: ErrorCode.InvalidZip,
      message: `${shown} in ${options.zipName} is encrypted; zip it without a password`,
    };
  }
  if (!READABLE_METHODS.has(file.compressionMethod)) {
    return {
      code: ErrorCode.InvalidZip,
      message: `${shown} in ${options.zipName} uses compression method ${file.compressionMethod}; create the zip again with the standard (deflate) compression`,
    };
  }
  if (file.uncompressedSize > options.maxEntryBytes) {
    return {
      code: ErrorCode.FileTooLarge,
      message: `${shown} is ${formatBytes(file.uncompressedSize)}; the limit is ${formatBytes(options.maxEntryBytes)} per file, so split it`,
    };
  }
  return null;
}

/**
 * Entries whose bytes overlap another's are how small zips unpack into huge ones (every entry
 * pointing at the same compressed data); no zip tool writes them. Each entry's local header, name
 * and data must end before the next entry begins.
 */
function checkNoOverlap(files: readonly File[], zipName: string): void {
  const byOffset = [...files].sort((a, b) => a.offsetToLocalFileHeader - b.offsetToLocalFileHeader);
  for (let i = 1; i < byOffset.length; i += 1) {
    const previous = byOffset[i - 1];
    const end =
      previous.offsetToLocalFileHeader + 30 + previous.fileNameLength + previous.compressedSize;
    if (end > byOffset[i].offsetToLocalFileHeader) {
      throw new BulkopsError(
        ErrorCode.InvalidZip,
        `${zipName} is not a well-formed zip: the entries '${printableName(previous.path)}' and '${printableName(byOffset[i].path)}' overlap; create the zip again with a zip tool`,
        { file: zipName },
      );
    }
  }
}

/**
 * Streams an entry and proves it is what the central directory says: no more bytes than declared
 * (and never more than the per-file limit), and at the end the declared size and CRC-32. A zip
 * whose sizes or checksums lie fails with INVALID_ZIP naming the entry, before any row is applied.
 */
function verifiedStream(
  file: File,
  opened: () => Readable,
  path: string,
  zipName: string,
  maxEntryBytes: number,
): Readable {
  const raw = file.stream();
  // The read of the zip's bytes behind this entry: unzipper closes it only when the entry was read
  // to its end, so a reader that stops early (a bad header) must close it or its file stays open.
  const source = opened();
  const limited = byteLimit(maxEntryBytes, path);
  const shown = printableName(path);
  const broken = (what: string) =>
    new BulkopsError(
      ErrorCode.InvalidZip,
      `${shown} in ${zipName} is damaged (${what}); create the zip again with a zip tool`,
      { file: path },
    );
  let bytes = 0;
  let crc = 0;
  const verify = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      if (bytes > file.uncompressedSize) {
        callback(broken(`it holds more than the ${file.uncompressedSize} bytes it declares`));
        return;
      }
      crc = crc32(chunk, crc);
      callback(null, chunk);
    },
    flush(callback) {
      if (bytes !== file.uncompressedSize)
        callback(broken(`it holds ${bytes} bytes but declares ${file.uncompressedSize}`));
      else if (crc >>> 0 !== file.crc32 >>> 0)
        callback(broken('its CRC-32 checksum does not match'));
      else callback();
    },
  });
  // `pipe` does not forward errors: a damaged entry must fail the reader, not stall it.
  raw.on('error', (error: Error) =>
    verify.destroy(broken(`it cannot be unpacked: ${error.message.slice(0, 80)}`)),
  );
  verify.on('error', (error) => limited.destroy(error));
  limited.on('close', () => {
    raw.destroy();
    source.destroy();
  });
  return raw.pipe(verify).pipe(limited);
}

/**
 * Lists a zip from its central directory for readers that judge entries one by one (a media zip,
 * where one bad file is a row error rather than a failed upload, objects.md §17). The same safety
 * rules as `openZip` apply, but an entry that breaks one is returned with its refusal instead of
 * failing the whole zip: inside a folder or an unsafe path, an unprintable or overlong name, or a
 * symbolic link (UNEXPECTED_ZIP_ENTRY), encrypted or compressed in a way bulkops cannot unpack
 * (INVALID_ZIP), declaring more than the per-file limit (FILE_TOO_LARGE). Entries that overlap fail
 * the whole zip (INVALID_ZIP). `__MACOSX/` and dot-files are left out. Counting entries is the
 * caller's rule. Streaming an entry enforces the byte limit, and its declared size and CRC-32
 * (INVALID_ZIP otherwise). Entries come back sorted by name.
 */
export async function listZip(source: ZipSource, options: ListOptions): Promise<ListedZipEntry[]> {
  let files: File[];
  // unzipper opens one read of the source per entry it unpacks, synchronously inside
  // `file.stream()`; keeping the last one lets `verifiedStream` close it.
  let lastOpened: Readable | null = null;
  const tracked: ZipSource = {
    size: () => source.size(),
    stream: (offset, length) => (lastOpened = source.stream(offset, length)),
  };
  try {
    files = (await Open.custom(tracked)).files;
  } catch {
    throw new BulkopsError(
      ErrorCode.InvalidZip,
      `${options.zipName} is not a readable zip file; create it again with a zip tool`,
      {
        file: options.zipName,
      },
    );
  }
  checkNoOverlap(files, options.zipName);
  const entries: ListedZipEntry[] = [];
  for (const file of files) {
    const path = file.path.replace(/\\/g, '/');
    if (isIgnored(path)) continue;
    const refusal = refusalOf(file, path, options);
    entries.push({
      name: refusal ? printableName(path) : path,
      size: file.uncompressedSize,
      refusal,
      open: () =>
        verifiedStream(file, () => lastOpened!, path, options.zipName, options.maxEntryBytes),
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
