import { Readable } from 'node:stream';
import { ErrorCode } from '@bulkops/contracts';
import { ZipFile } from 'yazl';
import { listZip, type ListedZipEntry, type ZipSource } from './zip-reader';
import { ZipWriter } from './zip-writer';

/** Random access to bytes in memory, as storage gives it for a stored upload. */
function sourceOf(bytes: Buffer): ZipSource {
  return {
    size: () => Promise.resolve(bytes.length),
    stream: (offset, length) =>
      Readable.from([bytes.subarray(offset, length === undefined ? undefined : offset + length)]),
  };
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function written(fill: (zip: ZipWriter) => Promise<void>): Promise<Buffer> {
  const zip = new ZipWriter();
  const [bytes] = await Promise.all([collect(zip.output), fill(zip)]);
  return bytes;
}

async function contents(entries: ListedZipEntry[]): Promise<Record<string, string>> {
  return Object.fromEntries(
    await Promise.all(
      entries.map(async (e) => [e.name, (await collect(e.open())).toString('utf8')] as const),
    ),
  );
}

describe('ZipWriter', () => {
  it('writes CSVs the bulkops way, files opened only when reached, and nested zips', async () => {
    const opened: string[] = [];
    const bytes = await written(async (zip) => {
      zip.addCsv('manifest.csv', [
        ['Name', 'Description'],
        ['a.wav', '=1+1'],
      ]);
      zip.addFile('a.wav', () => {
        opened.push('a.wav');
        return Readable.from([Buffer.from('AAAA')]);
      });
      expect(opened).toEqual([]);
      const inner = zip.addArchive('part-001.zip');
      inner.addFile('b.wav', () => Readable.from([Buffer.from('BB')]));
      await inner.end();
      await zip.end();
    });
    expect(opened).toEqual(['a.wav']);
    const outer = await listZip(sourceOf(bytes), { zipName: 'out.zip', maxEntryBytes: 1024 });
    expect(await contents(outer.filter((e) => e.name !== 'part-001.zip'))).toEqual({
      'a.wav': 'AAAA',
      'manifest.csv': "\uFEFFName,Description\r\na.wav,'=1+1\r\n",
    });
    const nested = await collect(outer.find((e) => e.name === 'part-001.zip')!.open());
    expect(
      await contents(
        await listZip(sourceOf(nested), { zipName: 'part-001.zip', maxEntryBytes: 1024 }),
      ),
    ).toEqual({ 'b.wav': 'BB' });
  });

  it('with a fixed entry time, writes the same bytes for the same contents, folders included', async () => {
    const write = async () => {
      const zip = new ZipWriter({ mtime: new Date(Date.UTC(2000, 0, 1)) });
      const bytes = collect(zip.output);
      const folder = zip.folder('audio-file');
      folder.addCsv('audio-files.csv', [['Name', 'Description', 'Action']]);
      folder.addFile('hello.wav', () => Readable.from([Buffer.from('RIFF')]));
      await folder.end();
      zip.addCsv('site.csv', [['Name']]);
      await zip.end();
      return bytes;
    };
    const first = await write();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await write()).equals(first)).toBe(true);
    const listed = await listZip(sourceOf(first), { zipName: 'bundle.zip', maxEntryBytes: 1000 });
    expect(listed.map((e) => e.name)).toEqual([
      'audio-file/audio-files.csv',
      'audio-file/hello.wav',
      'site.csv',
    ]);
  });

  it('fails its output and end() when a file cannot be read', async () => {
    const zip = new ZipWriter();
    zip.addFile('gone.wav', () => {
      const stream = new Readable({ read() {} });
      setImmediate(() => stream.destroy(new Error('no such blob')));
      return stream;
    });
    const reading = collect(zip.output);
    await expect(zip.end()).rejects.toThrow('no such blob');
    await expect(reading).rejects.toThrow('no such blob');
  });
});

describe('listZip', () => {
  it('returns every entry with the refusal of the zip rules, leaving out __MACOSX and dot-files', async () => {
    const zip = new ZipFile();
    for (const [name, content] of [
      ['ok.wav', 'x'],
      ['a..b.wav', 'x'],
      ['sub/nested.wav', 'x'],
      ['big.wav', 'x'.repeat(20)],
      ['__MACOSX/._ok.wav', 'x'],
      ['.hidden', 'x'],
    ] as const) {
      zip.addBuffer(Buffer.from(content), name);
    }
    zip.end();
    const entries = await listZip(sourceOf(await collect(zip.outputStream as Readable)), {
      zipName: 'up.zip',
      maxEntryBytes: 10,
    });
    expect(entries.map((e) => [e.name, e.refusal?.code ?? null])).toEqual([
      ['a..b.wav', null],
      ['big.wav', ErrorCode.FileTooLarge],
      ['ok.wav', null],
      ['sub/nested.wav', ErrorCode.UnexpectedZipEntry],
    ]);
  });
});
