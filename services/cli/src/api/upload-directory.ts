import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';
import type { ObjectTypeView } from '@bulkops/contracts';
import { csvText, listZip, readCsv, ZipWriter, type ZipSource } from '@bulkops/csv';

/**
 * One upload of a directory: a file, or a media type's folder (`audio-file/`, as an organization
 * export lays it out), and the object type its name says it holds.
 */
export interface DirectoryFile {
  type: ObjectTypeView;
  path: string;
  name: string;
  /** A folder of a media type's files, uploaded as a zip of them. */
  folder: boolean;
}

const NAME = /^(?:\d+[-_])?(.+)\.(csv|zip)$/i;
const LIMIT = 10 * 1024 * 1024;

/**
 * The type a file name stem names: `team` or `team-{anything}` (`team-001`, as a bundle's parts),
 * the longest type that fits (`outdial-queue-001` is an outdial queue part, not an outdial one).
 */
function typeNamed(stem: string, types: readonly ObjectTypeView[]): ObjectTypeView | undefined {
  const lower = stem.toLowerCase();
  return types
    .filter((t) => lower === t.type || lower.startsWith(`${t.type}-`))
    .sort((a, b) => b.type.length - a.type.length)[0];
}

/**
 * The uploads of a directory in dependency order: every `<type>.csv` or `<type>.zip` (optionally
 * numbered, `01-site.csv`, or in parts, `user-001.csv`) and every folder named after a media type
 * (`audio-file/`), ordered as `GET /v1/objects` lists the types, a type's files by name. So a
 * directory of loose files and an extracted organization export both import. Other files and
 * folders are ignored; a CSV or zip not named after a type is an error, so a typo does not silently
 * skip a file.
 */
export async function directoryUploads(
  dir: string,
  types: readonly ObjectTypeView[],
): Promise<DirectoryFile[]> {
  const files: DirectoryFile[] = [];
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      const type = types.find((t) => t.file === 'zip' && t.type === entry.name.toLowerCase());
      if (type) files.push({ type, path, name: `${entry.name}/`, folder: true });
      continue;
    }
    const match = NAME.exec(entry.name);
    if (!match) continue;
    const type = typeNamed(match[1], types);
    if (!type) {
      throw new Error(
        `${entry.name} is not named after an object type; name it <type>.csv or <type>.zip (or <type>-<part>.csv), with type one of ${types.map((t) => t.type).join(', ')}`,
      );
    }
    files.push({ type, path, name: entry.name, folder: false });
  }
  return files.sort((a, b) => types.indexOf(a.type) - types.indexOf(b.type));
}

/** The files of a media folder, sorted by name (sub-folders are not part of an upload). */
async function folderFiles(path: string): Promise<string[]> {
  return (await readdir(path, { withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name)
    .sort();
}

/**
 * A media folder as the zip its type uploads: its files at the top level, written to a temporary
 * file (streamed, so large audio is never held in memory). Call `remove` once uploaded.
 */
export async function zipFolder(
  file: DirectoryFile,
): Promise<{ name: string; path: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'bulkops-folder-'));
  const path = join(dir, `${file.type.type}.zip`);
  try {
    const zip = new ZipWriter();
    const writing = pipeline(zip.output, createWriteStream(path));
    for (const name of await folderFiles(file.path))
      zip.addFile(name, () => createReadStream(join(file.path, name)));
    await zip.end();
    await writing;
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    name: `${file.type.type}.zip`,
    path,
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

function fileSource(path: string): ZipSource {
  return {
    size: async () => (await stat(path)).size,
    stream: (offset, length) =>
      createReadStream(path, { start: offset, end: length ? offset + length - 1 : undefined }),
  };
}

async function keyRows(
  csv: NodeJS.ReadableStream,
  name: string,
  type: ObjectTypeView,
): Promise<string[][]> {
  const rows: string[][] = [];
  let positions: number[] | null = null;
  for await (const record of readCsv(csv as never, { fileName: name, maxBytes: LIMIT })) {
    if (!positions) {
      const header = record.cells.map((cell) => cell.trim().replace(/\s+/g, ' ').toLowerCase());
      positions = type.key.map((key) => header.indexOf(key.toLowerCase()));
      const missing = type.key.filter((_, i) => positions![i] < 0);
      if (missing.length > 0)
        throw new Error(
          `${name} has no ${missing.join(', ')} column, so its objects cannot be named for deletion`,
        );
      continue;
    }
    rows.push([...positions.map((p) => record.cells[p] ?? ''), 'DELETE']);
  }
  return rows;
}

/** A zip holding one CSV. */
async function zipOf(name: string, rows: readonly (readonly string[])[]): Promise<Buffer> {
  const zip = new ZipWriter();
  const bytes = buffer(zip.output);
  zip.addCsv(name, rows);
  await zip.end();
  return bytes;
}

/**
 * The upload that deletes what a file created: its key columns with Action DELETE. For a media zip
 * (audio) that is a zip holding only the manifest, naming every media file of the original, laid
 * out as `GET /v1/objects` says the type's zips are.
 */
export async function deletionOf(file: DirectoryFile): Promise<{ name: string; content: Buffer }> {
  const type = file.type;
  if (file.folder && type.file === 'zip') {
    const { manifest, extension, nameColumn } = type.media;
    const rows = (await folderFiles(file.path))
      .filter((name) => name.toLowerCase().endsWith(extension))
      .map((name) => [name, 'DELETE']);
    const content = await zipOf(manifest, [[nameColumn, 'Action'], ...rows]);
    return { name: `delete-${type.type}.zip`, content };
  }
  const name = `delete-${file.name}`;
  const isZip = file.name.toLowerCase().endsWith('.zip');
  if (!isZip) {
    const rows = await keyRows(createReadStream(file.path), file.name, type);
    return { name, content: Buffer.from(csvText([[...type.key, 'Action'], ...rows])) };
  }
  const entries = await listZip(fileSource(file.path), {
    zipName: file.name,
    maxEntryBytes: LIMIT,
  });
  switch (type.file) {
    case 'csv': {
      const rows: string[][] = [];
      for (const entry of entries) rows.push(...(await keyRows(entry.open(), entry.name, type)));
      const content = await zipOf(`delete-${type.type}.csv`, [[...type.key, 'Action'], ...rows]);
      return { name, content };
    }
    case 'zip': {
      const { manifest, extension, nameColumn } = type.media;
      const rows = entries
        .filter((entry) => entry.name.toLowerCase().endsWith(extension))
        .map((entry) => [entry.name, 'DELETE']);
      return { name, content: await zipOf(manifest, [[nameColumn, 'Action'], ...rows]) };
    }
  }
}
