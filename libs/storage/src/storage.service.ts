import { isAbsolute, posix } from 'node:path';
import type { Readable, Transform } from 'node:stream';

/** Random-access reads of a stored object (what a zip reader needs to find its central directory). */
export interface RandomAccessSource {
  size(): Promise<number>;
  /** `length` omitted (or 0): to the end. */
  stream(offset: number, length?: number): Readable;
}

/**
 * The storage port: streaming put/get of uploads and media under keys chosen by bulkops (relative
 * slash paths, never user input), shared by gateway, ingest and worker. Two adapters implement it,
 * picked by StorageEnv: a local directory (LocalStorage) and any S3-compatible object store
 * (S3Storage). Every read and write streams; a reader never sees half an object.
 */
export abstract class StorageService {
  /**
   * Streams `input` (through the optional `transforms`, e.g. a size limit) into `key`. Answers the
   * number of bytes read from `input`. On failure nothing is left behind.
   */
  abstract put(key: string, input: Readable, transforms?: Transform[]): Promise<number>;

  /** Reads a stored object from the start. */
  abstract open(key: string): Readable;

  /** Random access to a stored object. */
  abstract source(key: string): RandomAccessSource;

  /** The object's size in bytes, or null when there is none. */
  abstract size(key: string): Promise<number | null>;

  /** Moves an object to a new key. */
  abstract move(from: string, to: string): Promise<void>;

  /** Copies an object to a new key; the copy appears whole or not at all. */
  abstract copy(from: string, to: string): Promise<void>;

  /** Deletes an object and everything under `key/`; deleting what is not there is fine. */
  abstract delete(key: string): Promise<void>;

  /**
   * The keys of every object under `prefix/`, at any depth, in no particular order, as `put` was
   * given them. Writes still under way (a `.part` file, an unfinished multipart upload) are not
   * objects yet and are not listed; a prefix nothing is stored under lists nothing.
   */
  abstract list(prefix: string): AsyncIterable<string>;

  /**
   * Removes writes a dead process left half done (a `.part` file, an unfinished multipart upload)
   * untouched for longer than `olderThanMs`. Answers how many it removed.
   */
  abstract sweepPartial(olderThanMs: number): Promise<number>;

  /** The key in canonical form; refuses keys that would leave the storage root. */
  protected static checkedKey(key: string): string {
    const clean = posix.normalize(key).replace(/\/+$/, '');
    if (isAbsolute(clean) || clean === '..' || clean.startsWith('../') || clean === '.') {
      throw new Error(`storage key '${key}' leaves the storage directory`);
    }
    return clean;
  }
}
