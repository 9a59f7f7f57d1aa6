import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeObject, OBJECT_TYPES } from '@bulkops/objects';
import { readZip } from '@bulkops/testing';
import { deletionOf, directoryUploads, zipFolder } from './upload-directory';

const TYPES = OBJECT_TYPES.map(describeObject);

/** The directory layouts `import-dir` and `delete-dir` read, on a real file system. */
describe('directoryUploads', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bulkops-dir-'));
  });

  afterEach(() => rm(dir, { recursive: true, force: true }));

  const touch = async (...names: string[]) => {
    for (const name of names) {
      await mkdir(join(dir, name, '..'), { recursive: true });
      await writeFile(join(dir, name), '');
    }
  };

  it('reads an extracted organization export: parts by the longest type, media folders, in dependency order', async () => {
    await touch(
      'user-002.csv',
      'user-001.csv',
      'outdial-queue-001.csv',
      'queue.csv',
      'site.csv',
      'audio-file/audio-files.csv',
      'audio-file/hello.wav',
      'notes/readme.txt',
      'README.md',
    );
    const files = await directoryUploads(dir, TYPES);
    expect(files.map((f) => [f.name, f.type.type, f.folder])).toEqual([
      ['site.csv', 'site', false],
      ['audio-file/', 'audio-file', true],
      ['queue.csv', 'queue', false],
      ['outdial-queue-001.csv', 'outdial-queue', false],
      ['user-001.csv', 'user', false],
      ['user-002.csv', 'user', false],
    ]);
    const order = TYPES.map((t) => t.type);
    const positions = files.map((f) => order.indexOf(f.type.type));
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('still refuses a CSV not named after a type', async () => {
    await touch('sites.csv');
    await expect(directoryUploads(dir, TYPES)).rejects.toThrow(
      /sites\.csv is not named after an object type/,
    );
  });

  it('zips a media folder as its upload, and deletes what it names', async () => {
    await mkdir(join(dir, 'audio-file'));
    await writeFile(join(dir, 'audio-file', 'audio-files.csv'), 'Name\r\nhello.wav\r\n');
    await writeFile(join(dir, 'audio-file', 'hello.wav'), 'RIFF');
    const [folder] = await directoryUploads(dir, TYPES);
    const zip = await zipFolder(folder);
    try {
      const entries = await readZip(await readFile(zip.path));
      expect(entries.map((e) => [e.name, e.content.toString()])).toEqual([
        ['audio-files.csv', 'Name\r\nhello.wav\r\n'],
        ['hello.wav', 'RIFF'],
      ]);
    } finally {
      await zip.remove();
    }
    const deletion = await deletionOf(folder);
    expect(deletion.name).toBe('delete-audio-file.zip');
    expect(
      (await readZip(deletion.content)).map((e) => [e.name, e.content.toString('utf8')]),
    ).toEqual([['audio-files.csv', '\uFEFFName,Action\r\nhello.wav,DELETE\r\n']]);
  });
});
