import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import type { ObjectTypeView } from '@bulkops/contracts';
import { csvText, listZip, readCsv, ZipWriter, type ZipSource } from '@bulkops/csv';

/** One upload of a directory: the file and the object type its name says it holds. */
export interface DirectoryFile {
  type: ObjectTypeView;
  path: string;
  name: string;
}

const NAME = /^(?:\d+[-_])?(.+)\.(csv|zip)$/i;
const LIMIT = 10 * 1024 * 1024;

/**
 * The uploads of a directory in dependency order: every `<type>.csv` or `<type>.zip` (optionally
 * numbered, `01-site.csv`), ordered as `GET /v1/objects` lists the types. Other files are ignored;
 * a CSV or zip not named after a type is an error, so a typo does not silently skip a file.
 */
export async function directoryUploads(
  dir: string,
  types: readonly ObjectTypeView[],
): Promise<DirectoryFile[]> {
  const files: DirectoryFile[] = [];
  for (const name of (await readdir(dir)).sort()) {
    const match = NAME.exec(name);
    if (!match) continue;
    const type = types.find((t) => t.type === match[1].toLowerCase());
    if (!type) {
      throw new Error(
        `${name} is not named after an object type; name it <type>.csv or <type>.zip, with type one of ${types.map((t) => t.type).join(', ')}`,
      );
    }
    files.push({ type, path: join(dir, name), name });
  }
  return files.sort((a, b) => types.indexOf(a.type) - types.indexOf(b.type));
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
  const name = `delete-${file.name}`;
  const type = file.type;
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
