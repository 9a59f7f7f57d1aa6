import {
  type ArchiveBuilder,
  type ExportRecord,
  type MediaExportSource,
  type NameLookup,
  type MediaDeclaration,
} from '../declaration-kit';

/** The most .wav files one exported zip holds, so every exported zip is a valid upload (§17). */
const FILES_PER_ZIP = 5000;

// Audio files reference nothing, so formatting a stored value never needs another object's name.
const NO_REFERENCES: NameLookup = (target) => {
  throw new Error(`audio files do not reference ${target}`);
};

/** The manifest line of a stored file: every column filled with the stored state, Action empty. */
function manifestRow(declaration: MediaDeclaration, record: ExportRecord): string[] {
  const cells = declaration.columns.map((c) => {
    const value = record.values[c.field];
    return value === null || value === undefined ? '' : c.kind.format(value, NO_REFERENCES);
  });
  return [...cells, ''];
}

/** One valid upload: the manifest of its files, then the files themselves. */
function writeUpload(
  declaration: MediaDeclaration,
  source: MediaExportSource,
  archive: ArchiveBuilder,
  records: readonly ExportRecord[],
): void {
  archive.addCsv(declaration.media.manifest, [
    declaration.header,
    ...records.map((r) => manifestRow(declaration, r)),
  ]);
  for (const record of records) {
    archive.addFile(String(record.values['name']), () =>
      source.openBlob(String(record.values['sha256'])),
    );
  }
}

async function take(records: AsyncIterator<ExportRecord>, count: number): Promise<ExportRecord[]> {
  const taken: ExportRecord[] = [];
  while (taken.length < count) {
    const next = await records.next();
    if (next.done) break;
    taken.push(next.value);
  }
  return taken;
}

/** The audio-file template (objects.md §17): a zip holding only the manifest's header. */
export async function writeAudioTemplate(
  declaration: MediaDeclaration,
  archive: ArchiveBuilder,
): Promise<void> {
  archive.addCsv(declaration.media.manifest, [declaration.header]);
  await archive.end();
}

/**
 * The audio-file export (objects.md §17): the stored .wav files plus audio-files.csv with Name,
 * Description and an empty Action, sorted by name — a valid upload that re-imports as unchanged.
 * Past 5000 files the archive instead holds `audio-file-001.zip`, `audio-file-002.zip`, … each such
 * an upload of at most 5000 files. At most one part's records (metadata, not audio) are held at a
 * time; the audio is streamed from storage as the archive reaches each file.
 */
export async function writeAudioExport(
  declaration: MediaDeclaration,
  source: MediaExportSource,
  archive: ArchiveBuilder,
): Promise<void> {
  const records = source.records()[Symbol.asyncIterator]();
  let part = await take(records, FILES_PER_ZIP);
  // Looking one record past the first part decides the layout without counting first, so a count
  // taken earlier cannot disagree with what is read.
  let peek = await records.next();
  if (peek.done) {
    writeUpload(declaration, source, archive, part);
    await archive.end();
    return;
  }
  for (let number = 1; ; number += 1) {
    const inner = archive.addArchive(`${declaration.type}-${String(number).padStart(3, '0')}.zip`);
    writeUpload(declaration, source, inner, part);
    await inner.end();
    if (peek.done) break;
    part = [peek.value, ...(await take(records, FILES_PER_ZIP - 1))];
    peek = await records.next();
  }
  await archive.end();
}
