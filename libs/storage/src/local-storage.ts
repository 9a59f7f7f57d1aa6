import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable, Transform } from 'node:stream';
import { StorageService, type RandomAccessSource } from './storage.service';

const PARTIAL_SUFFIX = '.part';

// Uploads hold customer data: only the service's own user may read them.
const FILE_MODE = 0o600;
const DIRECTORY_MODE = 0o700;

/**
 * Storage in a local directory (STORAGE_DIR): one machine, or a volume every service mounts.
 * Writes go to a temporary `.part` name first and are renamed into place, so a reader never sees
 * half a file.
 */
export class LocalStorage extends StorageService {
  private readonly root: string;

  constructor(storageDir: string) {
    super();
    this.root = resolve(storageDir);
  }

  private pathOf(key: string): string {
    return join(this.root, StorageService.checkedKey(key));
  }

  async put(key: string, input: Readable, transforms: Transform[] = []): Promise<number> {
    const target = this.pathOf(key);
    await mkdir(dirname(target), { recursive: true, mode: DIRECTORY_MODE });
    const temporary = `${target}.${randomUUID()}${PARTIAL_SUFFIX}`;
    let bytes = 0;
    input.on('data', (chunk: Buffer) => (bytes += chunk.length));
    try {
      await pipeline([input, ...transforms, createWriteStream(temporary, { mode: FILE_MODE })]);
      await rename(temporary, target);
      return bytes;
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  open(key: string): Readable {
    return createReadStream(this.pathOf(key));
  }

  source(key: string): RandomAccessSource {
    const path = this.pathOf(key);
    return {
      size: async () => (await stat(path)).size,
      stream: (offset, length) =>
        createReadStream(path, { start: offset, end: length ? offset + length - 1 : undefined }),
    };
  }

  async size(key: string): Promise<number | null> {
    try {
      return (await stat(this.pathOf(key))).size;
    } catch {
      return null;
    }
  }

  /** Same volume: a rename. */
  async move(from: string, to: string): Promise<void> {
    const target = this.pathOf(to);
    await mkdir(dirname(target), { recursive: true, mode: DIRECTORY_MODE });
    await rename(this.pathOf(from), target);
  }

  async copy(from: string, to: string): Promise<void> {
    await this.put(to, this.open(from));
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { recursive: true, force: true });
  }

  async *list(prefix: string): AsyncIterable<string> {
    const clean = StorageService.checkedKey(prefix);
    const entries = await readdir(this.pathOf(clean), {
      recursive: true,
      withFileTypes: true,
    }).catch(() => []);
    for (const entry of entries) {
      if (!entry.isFile() || entry.name.endsWith(PARTIAL_SUFFIX)) continue;
      const path = relative(this.root, join(entry.parentPath, entry.name));
      yield path.split(sep).join('/');
    }
  }

  /** `.part` files not written to for `olderThanMs` (a live write keeps touching its file). */
  async sweepPartial(olderThanMs: number): Promise<number> {
    const cutoff = Date.now() - olderThanMs;
    let swept = 0;
    const entries = await readdir(this.root, { recursive: true }).catch(() => [] as string[]);
    for (const entry of entries) {
      if (!entry.endsWith(PARTIAL_SUFFIX)) continue;
      const path = join(this.root, entry);
      const info = await stat(path).catch(() => null);
      if (!info?.isFile() || info.mtimeMs >= cutoff) continue;
      await rm(path, { force: true });
      swept += 1;
    }
    return swept;
  }
}
