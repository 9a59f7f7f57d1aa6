import { Transform } from 'node:stream';
import { BulkopsError, ErrorCode, formatBytes, isBulkopsError } from '@bulkops/contracts';
import {
  checkRow,
  readObjectCsv,
  type MediaDeclaration,
  type MediaReadContext,
  type MediaRow,
  type ObjectCsvRow,
  type RowProblem,
  type UploadEntry,
} from '../declaration-kit';
import { convertHint, RiffWavCheck } from './riff-wav-check';

/** What reading one .wav entry found: the stored content, or why the file is refused. */
interface Inspected {
  content?: Record<string, unknown>;
  problems: RowProblem[];
}

/** The entries of an upload: its manifest, when it has one, and every other entry. */
interface UploadParts {
  manifest: UploadEntry | undefined;
  files: UploadEntry[];
}

/** A problem the byte check found; it stops the stream, so nothing of the file is kept. */
class AudioProblem extends Error {}

function fileProblem(code: ErrorCode, file: string, clause: string): RowProblem {
  return { code, column: 'Name', message: `${file}: ${clause}` };
}

function tooLarge(entry: UploadEntry, maxBytes: number, known: boolean): RowProblem {
  // Just over the limit rounds to the limit itself; then only the byte count tells them apart.
  const shown =
    formatBytes(entry.size) === formatBytes(maxBytes)
      ? `${entry.size} bytes (more than ${maxBytes})`
      : formatBytes(entry.size);
  const size = known ? `is ${shown}` : `is larger than ${formatBytes(maxBytes)}`;
  return fileProblem(
    ErrorCode.FileTooLarge,
    entry.name,
    `the file ${size}; an audio file may be at most ${formatBytes(maxBytes)} (about 20 minutes of 8 kHz µ-law) — shorten the prompt or ${convertHint()}`,
  );
}

/** Passes bytes through while the RIFF check reads them; fails the stream once the file is ruled out. */
function checkWhilePassing(check: RiffWavCheck): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      const problem = check.push(chunk);
      callback(
        problem === null ? null : new AudioProblem(problem),
        problem === null ? chunk : undefined,
      );
    },
    flush(callback) {
      const verdict = check.finish();
      callback(verdict.ok ? null : new AudioProblem(verdict.problem));
    },
  });
}

/** Why streaming an entry failed, as the row problem of its file; other failures are rethrown. */
function streamProblem(error: unknown, entry: UploadEntry, context: MediaReadContext): RowProblem {
  if (error instanceof AudioProblem)
    return fileProblem(ErrorCode.InvalidValue, entry.name, error.message);
  // The zip's declared size can lie; the byte count while streaming cannot.
  if (isBulkopsError(error) && error.code === ErrorCode.FileTooLarge)
    return tooLarge(entry, context.maxFileBytes, false);
  if (isBulkopsError(error) && error.code === ErrorCode.InvalidZip) {
    return fileProblem(
      ErrorCode.InvalidZip,
      entry.name,
      'the zip entry cannot be unpacked; create the zip again',
    );
  }
  throw error;
}

/**
 * Streams one .wav entry into the job's blob storage while its RIFF header is checked, so a file is
 * read once and never held whole. A refused file leaves nothing behind.
 */
async function inspect(entry: UploadEntry, context: MediaReadContext): Promise<Inspected> {
  const check = new RiffWavCheck();
  try {
    const stored = await context.blobs.put(entry.open(), [checkWhilePassing(check)]);
    const verdict = check.finish();
    if (!verdict.ok)
      return { problems: [fileProblem(ErrorCode.InvalidValue, entry.name, verdict.problem)] };
    const { encoding, sampleRate, channels, bitsPerSample } = verdict.format;
    return {
      content: {
        sha256: stored.sha256,
        sizeBytes: stored.bytes,
        encoding,
        sampleRate,
        channels,
        bitsPerSample,
      },
      problems: [],
    };
  } catch (error) {
    return { problems: [streamProblem(error, entry, context)] };
  }
}

/** Why an entry that is not a usable top-level media file is refused, as a row problem. */
function refusalOf(
  declaration: MediaDeclaration,
  entry: UploadEntry,
  context: MediaReadContext,
): RowProblem {
  const { manifest } = declaration.media;
  if (entry.refusal?.code === ErrorCode.FileTooLarge)
    return tooLarge(entry, context.maxFileBytes, true);
  if (entry.refusal?.code === ErrorCode.InvalidZip) {
    return fileProblem(
      ErrorCode.InvalidZip,
      entry.name,
      'the file is encrypted; zip it again without a password',
    );
  }
  if (entry.refusal) {
    return fileProblem(
      ErrorCode.UnexpectedZipEntry,
      entry.name,
      `the file is inside a folder of the zip; put the .wav files at the top level of the zip, next to ${manifest}`,
    );
  }
  return fileProblem(
    ErrorCode.UnexpectedZipEntry,
    entry.name,
    `only .wav files and the ${manifest} manifest may be in an audio file zip; remove the file, or convert it to .wav`,
  );
}

/** Splits the upload into its manifest and its files; a problem of the whole upload is thrown. */
function partsOf(declaration: MediaDeclaration, context: MediaReadContext): UploadParts {
  const { manifest: manifestName } = declaration.media;
  const manifest = context.entries.find((e) => e.name.toLowerCase() === manifestName);
  if (manifest?.refusal) {
    throw new BulkopsError(manifest.refusal.code, manifest.refusal.message, {
      file: manifest.name,
    });
  }
  if (context.entries.length === 0) {
    throw new BulkopsError(
      ErrorCode.EmptyFile,
      `${context.fileName} holds no files; put the .wav files (and optionally ${manifestName}) at the top level of the zip`,
      { file: context.fileName },
    );
  }
  const files = context.entries.filter((e) => e !== manifest);
  if (files.length > context.maxRows) {
    throw new BulkopsError(
      ErrorCode.TooManyFiles,
      `${context.fileName} holds ${files.length} files besides the manifest; the limit is ${context.maxRows} .wav files per zip, so split it into several uploads`,
      { file: context.fileName },
    );
  }
  return { manifest, files };
}

async function readManifest(
  declaration: MediaDeclaration,
  context: MediaReadContext,
  entry: UploadEntry,
): Promise<ObjectCsvRow[]> {
  const rows: ObjectCsvRow[] = [];
  const file = {
    name: entry.name,
    maxRows: context.maxRows,
    splitAdvice: 'split the files into several zips',
  };
  for await (const row of readObjectCsv(declaration, context.readCsv(entry), file)) rows.push(row);
  return rows;
}

/** Checks and keeps every usable media file, one after the other, with a sign of life between. */
async function inspectFiles(
  declaration: MediaDeclaration,
  files: readonly UploadEntry[],
  context: MediaReadContext,
): Promise<Map<UploadEntry, Inspected>> {
  const inspected = new Map<UploadEntry, Inspected>();
  for (const entry of files) {
    if (entry.refusal !== null || !entry.name.toLowerCase().endsWith(declaration.media.extension))
      continue;
    await context.heartbeat();
    inspected.set(entry, await inspect(entry, context));
  }
  return inspected;
}

/** The inspected files by lower-case name, each name's entries in zip order, taken as rows claim them. */
function unclaimedByName(
  inspected: ReadonlyMap<UploadEntry, Inspected>,
): Map<string, UploadEntry[]> {
  const byName = new Map<string, UploadEntry[]>();
  for (const entry of inspected.keys()) {
    const lower = entry.name.toLowerCase();
    byName.set(lower, [...(byName.get(lower) ?? []), entry]);
  }
  return byName;
}

/** A manifest row and the file it names: the manifest's cells with the file's content. */
function pairedRow(
  row: ObjectCsvRow,
  entry: UploadEntry,
  file: Inspected,
  manifestFile: string,
): MediaRow {
  return {
    cells: row.cells,
    keyNorm: row.checked.keyNorm,
    ...(file.content ? { content: file.content } : {}),
    source: {
      file: entry.name,
      line: row.line,
      where: `on row ${row.line} of ${manifestFile} (the file ${entry.name})`,
    },
    problems: [...row.problems, ...file.problems],
  };
}

/** A manifest row with no file: a DELETE, or an upsert missing its file. */
function manifestOnlyRow(row: ObjectCsvRow, name: string, manifestFile: string): MediaRow {
  const missing: RowProblem[] =
    row.checked.action === 'upsert' && row.checked.keyNorm !== null
      ? [
          {
            code: ErrorCode.InvalidValue,
            column: 'Name',
            message: `Name: '${name}' has no file in the zip; add ${name} at the top level of the zip, or write DELETE in Action to delete the stored file`,
          },
        ]
      : [];
  return {
    cells: row.cells,
    keyNorm: row.checked.keyNorm,
    source: { file: manifestFile, line: row.line, where: `on row ${row.line} of ${manifestFile}` },
    problems: [...row.problems, ...missing],
  };
}

/** An entry no manifest row names: a file row with only its name, or the refused entry. */
function unlistedRow(
  declaration: MediaDeclaration,
  entry: UploadEntry,
  file: Inspected | undefined,
  context: MediaReadContext,
): MediaRow {
  const nameIndex = declaration.keyColumns[0].index;
  const cells = Array.from({ length: declaration.columns.length + 1 }, (): string | null => null);
  cells[nameIndex] = entry.name;
  const source = { file: entry.name, line: null, where: `in the zip as ${entry.name}` };
  // Not a row of the type at all: no key, so it cannot clash with a row that is.
  if (!file)
    return { cells, keyNorm: null, source, problems: [refusalOf(declaration, entry, context)] };
  const checked = checkRow(declaration, cells);
  return {
    cells,
    keyNorm: checked.keyNorm,
    ...(file.content ? { content: file.content } : {}),
    source,
    problems: [...checked.problems, ...file.problems],
  };
}

/**
 * Reads an audio upload (objects.md §17): a zip of .wav files, each one row, and an optional
 * audio-files.csv manifest that gives descriptions and DELETE rows.
 *
 * - A manifest row and the .wav entry of its name (any case) make one row: the manifest's cells,
 *   the file's content, Source File the entry and Source Row the manifest line.
 * - A .wav entry without a manifest row has no Description cell, so the row keeps the stored
 *   description (or none when the file is new).
 * - A manifest DELETE row stands alone; if the zip also holds that file, both rows carry the same
 *   key and the job-wide duplicate check rejects them both.
 * - Any other entry (inside a folder, another extension, encrypted, over the size limit) is a row
 *   error naming the file; so is a .wav whose bytes are not an 8 kHz telephony WAV.
 *
 * Rows come out in manifest order, then the files without a manifest row in name order.
 */
export async function readAudioUpload(
  declaration: MediaDeclaration,
  context: MediaReadContext,
  emit: (row: MediaRow) => Promise<void>,
): Promise<void> {
  const parts = partsOf(declaration, context);
  const manifest = parts.manifest ? await readManifest(declaration, context, parts.manifest) : [];
  const inspected = await inspectFiles(declaration, parts.files, context);
  const unclaimed = unclaimedByName(inspected);
  const manifestFile = parts.manifest?.name ?? declaration.media.manifest;
  const nameIndex = declaration.keyColumns[0].index;
  const paired = new Set<UploadEntry>();
  for (const row of manifest) {
    const name = (row.cells[nameIndex] ?? '').trim();
    const entry =
      row.checked.action === 'delete' ? undefined : unclaimed.get(name.toLowerCase())?.shift();
    if (entry) paired.add(entry);
    await emit(
      entry
        ? pairedRow(row, entry, inspected.get(entry)!, manifestFile)
        : manifestOnlyRow(row, name, manifestFile),
    );
  }
  for (const entry of parts.files) {
    if (!paired.has(entry))
      await emit(unlistedRow(declaration, entry, inspected.get(entry), context));
  }
}
