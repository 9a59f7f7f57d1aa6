import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
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
 * after their type, the files of a media folder or zip in the type's folder (`audio-file/`). Written
 * to a temporary file entry by entry (each file streamed, never held in memory), so that it can be
 * uploaded from disk. Call `remove` once uploaded.
 */
export async function zipBundle(
  files: readonly DirectoryFile[],
): Promise<{ path: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'bulkops-bundle-'));
  const path = join(dir, 'bundle.zip');
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    const zip = new ZipWriter();
    const writing = pipeline(zip.output, createWriteStream(path));
    const seen = new Set<string>();
    for (const file of files) {
      for (const [name, open] of await entriesOf(file)) {
        if (seen.has(name.toLowerCase())) {
          throw new Error(`${file.name} would add ${name} to the bundle a second time; rename one`);
        }
        seen.add(name.toLowerCase());
        zip.addFile(name, open);
      }
    }
    await zip.end();
    await writing;
  } catch (error) {
    await remove();
    throw error;
  }
  return { path, remove };
}
