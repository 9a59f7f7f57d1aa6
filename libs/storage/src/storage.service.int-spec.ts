import { Readable } from 'node:stream';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ErrorCode } from '@bulkops/contracts';
import { byteLimit } from '@bulkops/csv';
import { createTestContext, type TestContext } from '@bulkops/testing';
import { StorageService } from './storage.service';

async function text(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

describe('StorageService', () => {
  let context: TestContext;
  let storage: StorageService;

  beforeAll(async () => {
    context = await createTestContext();
    storage = new StorageService({ storageDir: context.storageDir });
  });

  afterAll(async () => {
    await context?.dispose();
  });

  it('streams an object in, reads it back whole and by range, moves and deletes it', async () => {
    expect(
      await storage.put('a/b/file', Readable.from([Buffer.from('hello '), Buffer.from('world')])),
    ).toBe(11);
    expect(await text(storage.open('a/b/file'))).toBe('hello world');
    expect(await text(storage.source('a/b/file').stream(6, 5))).toBe('world');
    expect(await storage.source('a/b/file').size()).toBe(11);
    await storage.move('a/b/file', 'c/file');
    expect(await storage.size('a/b/file')).toBeNull();
    expect(await storage.size('c/file')).toBe(11);
    await storage.delete('c');
    expect(await storage.size('c/file')).toBeNull();
  });

  it('leaves nothing behind when a write fails part-way', async () => {
    await expect(
      storage.put('big/file', Readable.from([Buffer.alloc(64), Buffer.alloc(64)]), [
        byteLimit(100, 'file'),
      ]),
    ).rejects.toMatchObject({ code: ErrorCode.FileTooLarge });
    expect(await readdir(join(context.storageDir, 'big'))).toEqual([]);
  });

  it('refuses keys that leave the storage directory', async () => {
    await expect(storage.put('../outside', Readable.from([Buffer.from('x')]))).rejects.toThrow(
      /leaves the storage directory/,
    );
  });
});
