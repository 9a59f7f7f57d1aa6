import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { Open } from 'unzipper';
import { createCsvPartsWriter, createCsvZipWriter } from './csv-zip-writer';
import { ZipWriter } from './zip-writer';

async function zipOf(rows: string[][], rowsPerPart: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  await pipeline(
    Readable.from(rows),
    createCsvZipWriter({
      header: ['Name', 'Note', 'Action'],
      rowsPerPart,
      partName: (n) => `site-${String(n).padStart(3, '0')}.csv`,
    }),
    sink,
  );
  return Buffer.concat(chunks);
}

async function entries(zip: Buffer): Promise<{ name: string; text: string }[]> {
  const directory = await Open.buffer(zip);
  return Promise.all(
    directory.files.map(async (file) => ({
      name: file.path,
      text: (await file.buffer()).toString('utf8'),
    })),
  );
}

describe('createCsvZipWriter', () => {
  it('cuts rows into parts of at most rowsPerPart, each a CSV with BOM, header and CRLF', async () => {
    const rows = Array.from({ length: 12 }, (_, i) => [
      `Site ${i + 1}`,
      i === 0 ? 'a, "quoted" note' : '',
      '',
    ]);
    const parts = await entries(await zipOf(rows, 5));
    expect(parts.map((p) => p.name)).toEqual(['site-001.csv', 'site-002.csv', 'site-003.csv']);
    expect(parts.map((p) => p.text.split('\r\n').length - 2)).toEqual([5, 5, 2]);
    for (const part of parts) expect(part.text.startsWith('\uFEFFName,Note,Action\r\n')).toBe(true);
    expect(parts[0].text).toContain('\r\nSite 1,"a, ""quoted"" note",\r\nSite 2,,\r\n');
    expect(parts[2].text.endsWith('\r\nSite 11,,\r\nSite 12,,\r\n')).toBe(true);
  });

  it('fills the last part exactly when the rows divide evenly', async () => {
    const rows = Array.from({ length: 10 }, (_, i) => [`Site ${i + 1}`, '', '']);
    const parts = await entries(await zipOf(rows, 5));
    expect(parts.map((p) => p.text.split('\r\n').length - 2)).toEqual([5, 5]);
  });

  it('writes one header-only part when there are no rows', async () => {
    const parts = await entries(await zipOf([], 5));
    expect(parts).toEqual([{ name: 'site-001.csv', text: '\uFEFFName,Note,Action\r\n' }]);
  });
});

describe('createCsvPartsWriter', () => {
  const options = (type: string, rowsPerPart: number) => ({
    header: ['Name', 'Action'],
    rowsPerPart,
    partName: (n: number) => `${type}-${n}.csv`,
  });

  it('adds the parts of several writers to one zip, which stays open for more entries', async () => {
    const zip = new ZipWriter();
    const bytes = (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of zip.output) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    })();
    await pipeline(
      Readable.from([['A'], ['B'], ['C']]),
      createCsvPartsWriter(zip, options('site', 2)),
    );
    await pipeline(Readable.from([]), createCsvPartsWriter(zip, options('team', 2)));
    zip.addCsv('after.csv', [['x']]);
    await zip.end();
    expect(await entries(await bytes)).toEqual([
      { name: 'site-1.csv', text: '\uFEFFName,Action\r\nA\r\nB\r\n' },
      { name: 'site-2.csv', text: '\uFEFFName,Action\r\nC\r\n' },
      { name: 'team-1.csv', text: '\uFEFFName,Action\r\n' },
      { name: 'after.csv', text: '\uFEFFx\r\n' },
    ]);
  });

  it('fails instead of waiting forever when the zip is closed under it', async () => {
    const zip = new ZipWriter();
    zip.output.destroy();
    const rows = Readable.from(Array.from({ length: 100_000 }, (_, i) => [`Site ${i}`]));
    await expect(
      pipeline(rows, createCsvPartsWriter(zip, options('site', 5000))),
    ).rejects.toMatchObject({ code: 'ERR_STREAM_PREMATURE_CLOSE' });
  });
});
