import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable, Transform } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { StorageEnv } from '@bulkops/config';

/** Random-access reads of a stored object (what a zip reader needs to find its central directory). */
export interface RandomAccessSource {
  size(): Promise<number>;
  stream(offset: number, length?: number): Readable;
}

/**
 * Streaming storage of uploads and media under STORAGE_DIR (a volume shared by gateway, ingest and
 * worker). Keys are relative slash paths chosen by bulkops, never by users. Writes go to a temporary
 * name first and are renamed into place, so a reader never sees half a file. Swapping in an object
 * store means reimplementing these few methods.
 */
@Injectable()
export class StorageService {
  private readonly root: string;

  constructor(env: StorageEnv) {
    this.root = resolve(env.storageDir);
  }

  private pathOf(key: string): string {
    const clean = normalize(key);
    if (isAbsolute(clean) || clean.startsWith('..')) {
      throw new Error(`storage key '${key}' leaves the storage directory`);
    }
    return join(this.root, clean);
  }

  /**
   * Streams `input` (through the optional `transforms`, e.g. a size limit) into `key`. Answers the
   * number of bytes stored. On failure nothing is left behind.
   */
  async put(key: string, input: Readable, transforms: Transform[] = []): Promise<number> {
    const target = this.pathOf(key);
    await mkdir(dirname(target), { recursive: true });
    const temporary = `${target}.${randomUUID()}.part`;
    let bytes = 0;
    input.on('data', (chunk: Buffer) => (bytes += chunk.length));
    try {
      await pipeline([input, ...transforms, createWriteStream(temporary)]);
      await rename(temporary, target);
      return bytes;
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  /** Reads a stored object from the start. */
  open(key: string): Readable {
    return createReadStream(this.pathOf(key));
  }

  /** Random access to a stored object. */
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

  /** Moves an object to a new key (same volume: a rename). */
  async move(from: string, to: string): Promise<void> {
    const target = this.pathOf(to);
    await mkdir(dirname(target), { recursive: true });
    await rename(this.pathOf(from), target);
  }

  /** Copies an object to a new key, streaming; the copy appears whole or not at all. */
  async copy(from: string, to: string): Promise<void> {
    await this.put(to, this.open(from));
  }

  /** Deletes an object or a whole prefix; deleting what is not there is fine. */
  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { recursive: true, force: true });
  }
}
