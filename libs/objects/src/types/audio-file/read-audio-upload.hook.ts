import { Transform } from 'node:stream';
import { BulkopsError, ErrorCode, isBulkopsError } from '@bulkops/contracts';
import {
  arrangeCells,
  type CheckedRow,
  checkHeader,
  checkRow,
  extraCellProblems,
  type HeaderMatch,
  type MediaReadContext,
  type MediaRow,
  type ObjectDeclaration,
  type RowProblem,
  type UploadEntry,
} from '../declaration-kit';
import { AUDIO_MANIFEST } from './audio-manifest';
import { CONVERT_HINT, RiffWavCheck } from './riff-wav-check';

/** A line of the manifest, read and checked. */
interface ManifestRow {
  line: number;
  cells: (string | null)[];
  checked: CheckedRow;
  problems: RowProblem[];
}

/** What reading one .wav entry found: the stored content, or why the file is refused. */
interface Inspected {
  content?: Record<string, unknown>;
  problems: RowProblem[];
}

/** A problem the byte check found; it stops the stream, so nothing of the file is kept. */
class AudioProblem extends Error {}

function isWav(name: string): boolean {
  return name.toLowerCase().endsWith('.wav');
}

function megabytes(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
}

function fileProblem(code: ErrorCode, file: string, clause: string): RowProblem {
  return { code, column: 'Name', message: `${file}: ${clause}` };
}

function tooLarge(entry: UploadEntry, maxBytes: number, known: boolean): RowProblem {
  // Just over the limit rounds to the limit itself; then only the byte count tells them apart.
  const shown =
    megabytes(entry.size) === megabytes(maxBytes)
      ? `${entry.size} bytes (more than ${maxBytes})`
      : megabytes(entry.size);
  const size = known ? `is ${shown}` : `is larger than ${megabytes(maxBytes)}`;
  return fileProblem(
    ErrorCode.FileTooLarge,
    entry.name,
    `the file ${size}; an audio file may be at most ${megabytes(maxBytes)} (about 20 minutes of 8 kHz µ-law) — shorten the prompt or ${CONVERT_HINT}`,
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
    if (error instanceof AudioProblem)
      return { problems: [fileProblem(ErrorCode.InvalidValue, entry.name, error.message)] };
    // The zip's declared size can lie; the byte count while streaming cannot.
    if (isBulkopsError(error) && error.code === ErrorCode.FileTooLarge)
      return { problems: [tooLarge(entry, context.maxFileBytes, false)] };
    if (isBulkopsError(error) && error.code === ErrorCode.InvalidZip) {
      return {
        problems: [
          fileProblem(
            ErrorCode.InvalidZip,
            entry.name,
            'the zip entry cannot be unpacked; create the zip again',
          ),
        ],
      };
    }
    throw error;
  }
}

/** Why an entry that is not a usable top-level .wav file is refused, as a row problem. */
function refusalOf(entry: UploadEntry, context: MediaReadContext): RowProblem {
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
      `the file is inside a folder of the zip; put the .wav files at the top level of the zip, next to ${AUDIO_MANIFEST}`,
    );
  }
  return fileProblem(
    ErrorCode.UnexpectedZipEntry,
    entry.name,
    `only .wav files and the ${AUDIO_MANIFEST} manifest may be in an audio file zip; remove the file, or convert it to .wav`,
  );
}

async function readManifest(
  declaration: ObjectDeclaration,
  context: MediaReadContext,
  entry: UploadEntry,
): Promise<ManifestRow[]> {
  const rows: ManifestRow[] = [];
  let match: HeaderMatch | null = null;
  let width = 0;
  for await (const record of context.readCsv(entry)) {
    if (match === null) {
      const header = checkHeader(declaration, record.cells, entry.name);
      if (!header.ok) throw new BulkopsError(header.code, header.message, { file: entry.name });
      match = header;
      width = record.cells.length;
      continue;
    }
    if (rows.length >= context.maxRows) {
      throw new BulkopsError(
        ErrorCode.TooManyRows,
        `${entry.name} has more than ${context.maxRows} rows; the limit is ${context.maxRows}, so split the files into several zips`,
        { file: entry.name },
      );
    }
    const cells = arrangeCells(match, record.cells, declaration.columns.length);
    const checked = checkRow(declaration, cells);
    rows.push({
      line: record.row,
      cells,
      checked,
      problems: [...extraCellProblems(record.cells, width), ...checked.problems],
    });
  }
  if (match === null) {
    throw new BulkopsError(
      ErrorCode.EmptyFile,
      `${entry.name} is empty; its first line must be the header ${declaration.header.join(',')}`,
      {
        file: entry.name,
      },
    );
  }
  return rows;
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
  declaration: ObjectDeclaration,
  context: MediaReadContext,
  emit: (row: MediaRow) => Promise<void>,
): Promise<void> {
  const manifestEntry = context.entries.find((e) => e.name.toLowerCase() === AUDIO_MANIFEST);
  if (manifestEntry?.refusal) {
    throw new BulkopsError(manifestEntry.refusal.code, manifestEntry.refusal.message, {
      file: manifestEntry.name,
    });
  }
  if (context.entries.length === 0) {
    throw new BulkopsError(
      ErrorCode.EmptyFile,
      `${context.fileName} holds no files; put the .wav files (and optionally ${AUDIO_MANIFEST}) at the top level of the zip`,
      { file: context.fileName },
    );
  }
  const files = context.entries.filter((e) => e !== manifestEntry);
  if (files.length > context.maxRows) {
    throw new BulkopsError(
      ErrorCode.TooManyFiles,
      `${context.fileName} holds ${files.length} files besides the manifest; the limit is ${context.maxRows} .wav files per zip, so split it into several uploads`,
      { file: context.fileName },
    );
  }
  const manifest = manifestEntry ? await readManifest(declaration, context, manifestEntry) : [];

  const usable = files.filter((e) => e.refusal === null && isWav(e.name));
  const inspected = new Map<UploadEntry, Inspected>();
  for (const entry of usable) {
    await context.heartbeat();
    inspected.set(entry, await inspect(entry, context));
  }

  const [nameColumn] = declaration.keyColumns;
  const nameIndex = nameColumn?.index ?? 0;
  const unjoined = new Map<string, UploadEntry[]>();
  for (const entry of usable) {
    const lower = entry.name.toLowerCase();
    unjoined.set(lower, [...(unjoined.get(lower) ?? []), entry]);
  }
  const joined = new Set<UploadEntry>();
  const manifestFile = manifestEntry?.name ?? AUDIO_MANIFEST;

  for (const row of manifest) {
    const name = (row.cells[nameIndex] ?? '').trim();
    const entry =
      row.checked.action === 'delete' ? undefined : unjoined.get(name.toLowerCase())?.shift();
    if (entry) {
      joined.add(entry);
      const file = inspected.get(entry)!;
      await emit({
        cells: row.cells,
        keyNorm: row.checked.keyNorm,
        ...(file.content ? { content: file.content } : {}),
        source: {
          file: entry.name,
          line: row.line,
          where: `on row ${row.line} of ${manifestFile} (the file ${entry.name})`,
        },
        problems: [...row.problems, ...file.problems],
      });
      continue;
    }
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
    await emit({
      cells: row.cells,
      keyNorm: row.checked.keyNorm,
      source: {
        file: manifestFile,
        line: row.line,
        where: `on row ${row.line} of ${manifestFile}`,
      },
      problems: [...row.problems, ...missing],
    });
  }

  const columnCount = declaration.columns.length;
  for (const entry of files) {
    if (joined.has(entry)) continue;
    const cells = Array.from({ length: columnCount + 1 }, (): string | null => null);
    cells[nameIndex] = entry.name;
    const source = { file: entry.name, line: null, where: `in the zip as ${entry.name}` };
    const file = inspected.get(entry);
    if (!file) {
      // Not a row of the type at all: no key, so it cannot clash with a row that is.
      await emit({ cells, keyNorm: null, source, problems: [refusalOf(entry, context)] });
      continue;
    }
    const checked = checkRow(declaration, cells);
    await emit({
      cells,
      keyNorm: checked.keyNorm,
      ...(file.content ? { content: file.content } : {}),
      source,
      problems: [...checked.problems, ...file.problems],
    });
  }
}
