import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { listZip, ZipWriter, type ZipSource } from '@bulkops/csv';
import type { DirectoryFile } from './upload-directory';

/** The largest file a bundle entry may be read from (the gateway's own limits are far below). */
const MAX_ENTRY_BYTES = 1024 * 1024 * 1024;

function fileSource(path: string): ZipSource {
  return {
    size: async () => (await stat(path)).size,
    stream: (offset, length) =>
      createReadStream(path, { start: offset, end: length ? offset + length - 1 : undefined }),
  };
}

/**
 * The entry name of a CSV of `type` in a bundle: `{type}.csv` / `{type}-{part}.csv` as they are,
 * anything else (`01-site.csv`, an entry of `team.zip`) as a part named after it.
 */
export function bundleCsvName(type: string, name: string): string {
  const lower = name.toLowerCase();
  if (lower === `${type}.csv` || (lower.startsWith(`${type}-`) && lower.endsWith('.csv')))
    return name;
  return `${type}-${name.replace(/\.csv$/i, '')}.csv`;
}

/** The entries one directory file becomes in the bundle: name and how to read its bytes. */
async function entriesOf(file: DirectoryFile): Promise<[string, () => Readable][]> {
  const type = file.type.type;
  const media = file.type.file === 'zip';
  if (file.folder) {
    const names = (await readdir(file.path, { withFileTypes: true }))
      .filter((entry) => entry.isFile() && !entry.name.startsWith('.'))
      .map((entry) => entry.name)
      .sort();
    return names.map((name) => [`${type}/${name}`, () => createReadStream(join(file.path, name))]);
  }
  if (!file.name.toLowerCase().endsWith('.zip')) {
    return [[bundleCsvName(type, file.name), () => createReadStream(file.path)]];
  }
  const entries = await listZip(fileSource(file.path), {
    zipName: file.name,
    maxEntryBytes: MAX_ENTRY_BYTES,
  });
  return entries.map((entry) => [
    media ? `${type}/${entry.name}` : bundleCsvName(type, entry.name),
    () => entry.open(),
  ]);
}

/**
 * A directory's uploads as one bundle zip (spec/api.md "Bundles"): CSV files at the top level named
 * after their type, the files of a media folder or zip in the type's folder (`audio-file/`). Every
 * entry is named (and a name given twice refused) before a byte is written; then the zip is made
 * on the fly as `output` is read, each file streamed when the writer gets to it, so neither the
 * directory nor the zip is ever held in memory or written to disk.
 */
export async function zipBundle(files: readonly DirectoryFile[]): Promise<Readable> {
  const entries: [string, () => Readable][] = [];
  const seen = new Set<string>();
  for (const file of files) {
    for (const [name, open] of await entriesOf(file)) {
      if (seen.has(name.toLowerCase())) {
        throw new Error(`${file.name} would add ${name} to the bundle a second time; rename one`);
      }
      seen.add(name.toLowerCase());
      entries.push([name, open]);
    }
  }
  const zip = new ZipWriter();
  for (const [name, open] of entries) zip.addFile(name, open);
  // A failure reaches whoever reads `output`; `end` only waits for the last byte.
  zip.end().catch(() => undefined);
  return zip.output;
}
