import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { loadEnv, StorageEnv } from '@bulkops/config';
import { ErrorCode } from '@bulkops/contracts';
import { byteLimit } from '@bulkops/csv';
import {
  createTestContext,
  freePort,
  startS3Server,
  type S3Server,
  type TestContext,
  waitFor,
} from '@bulkops/testing';
import { createStorage } from './create-storage';
import { LocalStorage } from './local-storage';
import { S3Storage } from './s3-storage';
import { StorageKeys } from './storage-keys';
import type { StorageService } from './storage.service';

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const text = async (stream: Readable) => (await bytesOf(stream)).toString('utf8');

/** `total` bytes in `pieces` chunks, the way a socket delivers an upload. */
function streamOf(bytes: Buffer, pieces = 16): Readable {
  const size = Math.ceil(bytes.length / pieces);
  return Readable.from(
    Array.from({ length: pieces }, (_, i) => bytes.subarray(i * size, (i + 1) * size)),
  );
}

interface Adapter {
  storage: StorageService;
  /** Every key the store holds (to prove nothing is left behind). */
  keys(): Promise<string[]>;
}

/**
 * Both adapters answer the same contract; the S3 one against a real S3 API server (s3rver) through
 * the AWS SDK, never a mock of it.
 */
describe.each(['local', 's3'] as const)('StorageService (%s)', (kind) => {
  let context: TestContext;
  let s3: S3Server | null = null;
  let adapter: Adapter;

  beforeAll(async () => {
    context = await createTestContext();
    if (kind === 'local') {
      const storage = await createStorage(loadEnv([StorageEnv], context.env).get(StorageEnv));
      expect(storage).toBeInstanceOf(LocalStorage);
      adapter = { storage, keys: () => filesUnder(context.storageDir) };
    } else {
      s3 = await startS3Server();
      const storage = await createStorage(
        loadEnv([StorageEnv], { ...context.env, ...s3.env }).get(StorageEnv),
      );
      expect(storage).toBeInstanceOf(S3Storage);
      // The server keeps `<key>._S3rver_object` per object. It does not implement
      // AbortMultipartUpload, so the parts of an aborted upload stay in its `._S3rver_uploads/`;
      // real stores drop them on abort (and MinIO's stale-upload expiry or an S3 lifecycle rule is
      // the backstop, see README). What counts here is that no object became visible.
      adapter = {
        storage,
        keys: async () =>
          (await filesUnder(join(s3!.directory, s3!.bucket), /\._S3rver_(?!object$)/)).map((path) =>
            path.replace(/\._S3rver_object$/, ''),
          ),
      };
    }
  });

  afterAll(async () => {
    (adapter?.storage as Partial<S3Storage> | undefined)?.onApplicationShutdown?.();
    await s3?.close();
    await context?.dispose();
  });

  it('streams an object in, reads it back whole and by range, moves, copies and deletes it', async () => {
    const { storage } = adapter;
    expect(
      await storage.put('a/b/file', Readable.from([Buffer.from('hello '), Buffer.from('world')])),
    ).toBe(11);
    expect(await text(storage.open('a/b/file'))).toBe('hello world');
    expect(await text(storage.source('a/b/file').stream(6, 5))).toBe('world');
    expect(await text(storage.source('a/b/file').stream(3))).toBe('lo world');
    expect(await text(storage.source('a/b/file').stream(11))).toBe('');
    expect(await storage.source('a/b/file').size()).toBe(11);
    await storage.move('a/b/file', 'c/file');
    expect(await storage.size('a/b/file')).toBeNull();
    expect(await storage.size('c/file')).toBe(11);
    await storage.copy('c/file', 'c/d/copy');
    expect(await text(storage.open('c/d/copy'))).toBe('hello world');
    await storage.delete('c');
    expect(await storage.size('c/file')).toBeNull();
    expect(await storage.size('c/d/copy')).toBeNull();
    await expect(storage.delete('c')).resolves.toBeUndefined();
  });

  it('streams an upload larger than several parts and reads any range of it back exactly', async () => {
    const { storage } = adapter;
    const bytes = randomBytes(12 * 1024 * 1024 + 123);
    expect(await storage.put(StorageKeys.upload('big'), streamOf(bytes))).toBe(bytes.length);
    expect(await storage.size(StorageKeys.upload('big'))).toBe(bytes.length);
    const source = storage.source(StorageKeys.upload('big'));
    const offset = 5 * 1024 * 1024 - 7;
    expect(
      (await bytesOf(source.stream(offset, 4096))).equals(bytes.subarray(offset, offset + 4096)),
    ).toBe(true);
    expect((await bytesOf(storage.open(StorageKeys.upload('big')))).equals(bytes)).toBe(true);
    await storage.delete(StorageKeys.job('big'));
    expect(await adapter.keys()).toEqual([]);
  });

  it('leaves nothing behind when a write fails part-way, small or past the first part', async () => {
    const { storage } = adapter;
    await expect(
      storage.put('big/file', Readable.from([Buffer.alloc(64), Buffer.alloc(64)]), [
        byteLimit(100, 'file'),
      ]),
    ).rejects.toMatchObject({ code: ErrorCode.FileTooLarge });
    await expect(
      storage.put('big/multipart', streamOf(randomBytes(13 * 1024 * 1024), 26), [
        byteLimit(11 * 1024 * 1024, 'multipart'),
      ]),
    ).rejects.toMatchObject({ code: ErrorCode.FileTooLarge });
    expect(await storage.size('big/file')).toBeNull();
    expect(await storage.size('big/multipart')).toBeNull();
    expect(await adapter.keys()).toEqual([]);
  });

  it('lists every key under a prefix at any depth, and nothing beside it', async () => {
    const { storage } = adapter;
    const put = (key: string) => storage.put(key, Readable.from([Buffer.from(key)]));
    const under = ['listed/top', 'listed/a/one', 'listed/a/b/two'];
    for (const key of [...under, 'listed-beside/not-under', 'listedx']) await put(key);

    expect((await listed(storage, 'listed')).sort()).toEqual([...under].sort());
    expect(await listed(storage, 'listed/a/')).toEqual(
      expect.arrayContaining(['listed/a/one', 'listed/a/b/two']),
    );
    expect(await listed(storage, 'nothing/here')).toEqual([]);
    await expect(listed(storage, '../outside')).rejects.toThrow(/leaves the storage directory/);

    for (const key of ['listed', 'listed-beside', 'listedx']) await storage.delete(key);
    expect(await adapter.keys()).toEqual([]);
  });

  it('answers null for the size of a missing object and fails reading it', async () => {
    expect(await adapter.storage.size('nothing/here')).toBeNull();
    await expect(text(adapter.storage.open('nothing/here'))).rejects.toThrow();
  });

  it('refuses keys that leave the storage directory', async () => {
    await expect(
      adapter.storage.put('../outside', Readable.from([Buffer.from('x')])),
    ).rejects.toThrow(/leaves the storage directory/);
  });
});

/**
 * Listings longer than one ListObjectsV2 page (1000 keys). s3rver mints continuation tokens with
 * DES, which Node's OpenSSL 3 offers only through its legacy provider, so in this process it fails
 * any listing that does not fit one page; this server runs in its own process with that provider.
 */
describe('S3Storage past one listing page', () => {
  let context: TestContext;
  let server: ChildProcess | undefined;
  let storage: S3Storage;

  beforeAll(async () => {
    context = await createTestContext();
    const directory = join(context.storageDir, 's3rver');
    await mkdir(directory, { recursive: true });
    const port = await freePort();
    const bucket = 'bulkops-test';
    server = spawn(
      process.execPath,
      [
        '--openssl-legacy-provider',
        require.resolve('s3rver/bin/s3rver.js'),
        ...['-d', directory, '-a', '127.0.0.1', '-p', String(port), '-s'],
        ...['--configure-bucket', bucket],
      ],
      { stdio: 'ignore' },
    );
    const env = loadEnv([StorageEnv], {
      ...context.env,
      STORAGE_URL: `s3://${bucket}/paged`,
      STORAGE_S3_ENDPOINT: `http://127.0.0.1:${port}`,
      STORAGE_S3_REGION: 'us-east-1',
      STORAGE_S3_FORCE_PATH_STYLE: 'true',
      STORAGE_S3_ACCESS_KEY_ID: 'S3RVER',
      STORAGE_S3_SECRET_ACCESS_KEY: 'S3RVER',
    }).get(StorageEnv);
    storage = new S3Storage(env);
    await waitFor('s3rver to answer', () =>
      storage.checkReachable().then(
        () => true,
        () => false,
      ),
    );
  });

  afterAll(async () => {
    storage?.onApplicationShutdown();
    server?.kill();
    await context?.dispose();
  });

  it('lists and deletes every key under a prefix across pages', async () => {
    const many = Array.from({ length: 1003 }, (_, i) => `paged/${String(i).padStart(4, '0')}`);
    for (let i = 0; i < many.length; i += 50) {
      await Promise.all(
        many.slice(i, i + 50).map((key) => storage.put(key, Readable.from([Buffer.from(key)]))),
      );
    }
    await storage.put('paged-beside', Readable.from([Buffer.from('x')]));

    expect((await listed(storage, 'paged')).sort()).toEqual(many);
    await storage.delete('paged');
    expect(await listed(storage, 'paged')).toEqual([]);
    expect(await storage.size('paged-beside')).toBe(1);
  }, 120_000);
});

describe('LocalStorage', () => {
  let context: TestContext;

  beforeAll(async () => {
    context = await createTestContext();
  });

  afterAll(() => context?.dispose());

  it('keeps files readable by the service user only (0600 in 0700 directories)', async () => {
    const storage = new LocalStorage(join(context.storageDir, 'root'));
    await storage.put(StorageKeys.upload('j1'), Readable.from([Buffer.from('Name\r\nAustin\r\n')]));
    await storage.move(StorageKeys.upload('j1'), StorageKeys.blob('o1', 'audio-file', 'abc'));
    const mode = async (path: string) =>
      (await stat(join(context.storageDir, 'root', path))).mode & 0o777;
    expect(await mode(StorageKeys.blob('o1', 'audio-file', 'abc'))).toBe(0o600);
    expect(await mode('orgs')).toBe(0o700);
    expect(await mode('orgs/o1/blobs/audio-file')).toBe(0o700);
    expect(await mode('jobs/j1')).toBe(0o700);
  });

  it('sweeps only the .part files a dead writer left untouched past the grace', async () => {
    const root = join(context.storageDir, 'sweep');
    const storage = new LocalStorage(root);
    await storage.put(StorageKeys.upload('done'), Readable.from([Buffer.from('Name\r\n')]));
    await mkdir(join(root, 'incoming'), { recursive: true });
    const abandoned = join(root, 'incoming', 'a.csv.1.part');
    const writing = join(root, 'incoming', 'b.csv.2.part');
    await writeFile(abandoned, 'half');
    await writeFile(writing, 'still coming');
    const hourAgo = new Date(Date.now() - 3_600_000);
    await utimes(abandoned, hourAgo, hourAgo);
    expect(await storage.sweepPartial(60_000)).toBe(1);
    expect(await filesUnder(root)).toEqual(['incoming/b.csv.2.part', StorageKeys.upload('done')]);
  });

  it('does not list a write still under way (its .part file)', async () => {
    const root = join(context.storageDir, 'list');
    const storage = new LocalStorage(root);
    await storage.put(
      StorageKeys.blob('o1', 'audio-file', 'done'),
      Readable.from([Buffer.from('x')]),
    );
    await writeFile(join(root, `${StorageKeys.blob('o1', 'audio-file', 'coming')}.1.part`), 'half');
    expect(await listed(storage, 'orgs/o1')).toEqual([
      StorageKeys.blob('o1', 'audio-file', 'done'),
    ]);
  });
});

/** Every key `list` answers under a prefix, in the order it answers them. */
async function listed(storage: StorageService, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of storage.list(prefix)) keys.push(key);
  return keys;
}

/** Files under a directory, relative, without the S3 server's own metadata files. */
async function filesUnder(dir: string, ignore?: RegExp): Promise<string[]> {
  const found: string[] = [];
  const walk = async (current: string, relative: string) => {
    for (const entry of await readdir(current, { withFileTypes: true }).catch(() => [])) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (ignore?.test(entry.name)) continue;
      if (entry.isDirectory()) await walk(join(current, entry.name), path);
      else found.push(path);
    }
  };
  await walk(dir, '');
  return found.sort();
}
