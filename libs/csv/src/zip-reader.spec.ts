import { Readable } from 'node:stream';
import { type BulkopsError, ErrorCode } from '@bulkops/contracts';
import { rawZip, type RawZipEntry } from '@bulkops/testing';
import { listZip, openZip, printableName, type ZipSource } from './zip-reader';

const CSV = Buffer.from('Name,Multimedia Profile\nAustin,MMP\n');

/** Random access to bytes in memory; counts the reads that were opened and not closed. */
function sourceOf(bytes: Buffer): ZipSource & { open: number } {
  const source = {
    open: 0,
    size: () => Promise.resolve(bytes.length),
    stream: (offset: number, length?: number) => {
      // Small pieces, as a file is read: the read stays open until it is drained or closed.
      const slice = bytes.subarray(offset, length === undefined ? undefined : offset + length);
      const pieces = Array.from({ length: Math.ceil(slice.length / 1024) }, (_, i) =>
        slice.subarray(i * 1024, (i + 1) * 1024),
      );
      const stream = Readable.from(pieces, { highWaterMark: 1 });
      source.open += 1;
      stream.once('close', () => (source.open -= 1));
      return stream;
    },
  };
  return source;
}

async function read(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function refusal(promise: Promise<unknown>): Promise<BulkopsError> {
  try {
    await promise;
  } catch (error) {
    return error as BulkopsError;
  }
  throw new Error('expected a refusal');
}

const policy = {
  zipName: 'up.zip',
  maxEntries: 10,
  maxEntryBytes: 1024,
  accept: (name: string) => (name.endsWith('.csv') ? (true as const) : 'only .csv files'),
};

async function openOne(entries: RawZipEntry[]): Promise<Buffer> {
  const [entry] = await openZip(sourceOf(rawZip(entries)), policy);
  return read(entry.open());
}

describe('openZip and listZip', () => {
  it('reads stored and deflated entries whose sizes and checksums are true', async () => {
    expect(await openOne([{ name: 'a.csv', data: CSV }])).toEqual(CSV);
    expect(await openOne([{ name: 'a.csv', data: CSV, deflate: true }])).toEqual(CSV);
  });

  it('refuses an entry whose CRC-32 does not match its bytes, naming the entry', async () => {
    const error = await refusal(openOne([{ name: 'a.csv', data: CSV, crc32: 12345 }]));
    expect(error).toMatchObject({ code: ErrorCode.InvalidZip, details: { file: 'a.csv' } });
    expect(error.message).toBe(
      'a.csv in up.zip is damaged (its CRC-32 checksum does not match); create the zip again with a zip tool',
    );
  });

  it('refuses entries whose declared size lies either way', async () => {
    for (const size of [CSV.length - 5, CSV.length + 5]) {
      for (const deflate of [false, true]) {
        const error = await refusal(openOne([{ name: 'a.csv', data: CSV, size, deflate }]));
        expect(error).toMatchObject({ code: ErrorCode.InvalidZip, details: { file: 'a.csv' } });
        expect(error.message).toMatch(/^a\.csv in up\.zip is damaged \(it holds /);
      }
    }
  });

  it('refuses entries that share their bytes with another entry (an overlapping zip bomb)', async () => {
    const error = await refusal(
      openZip(
        sourceOf(
          rawZip([
            { name: 'a.csv', data: CSV, deflate: true },
            { name: 'b.csv', data: CSV, deflate: true, sameDataAs: 0 },
          ]),
        ),
        policy,
      ),
    );
    expect(error).toMatchObject({ code: ErrorCode.InvalidZip, details: { file: 'up.zip' } });
    expect(error.message).toMatch(/the entries 'a\.csv' and 'b\.csv' overlap/);
  });

  it.each([
    [
      'a symbolic link',
      { name: 'link.csv', data: Buffer.from('/etc/passwd'), unixMode: 0o120777 },
      ErrorCode.UnexpectedZipEntry,
      /link\.csv in up\.zip is a symbolic link/,
    ],
    [
      'a name with a NUL byte',
      { name: 'a\u0000b.csv', data: CSV },
      ErrorCode.UnexpectedZipEntry,
      /an entry named 'a\?b\.csv'; a file name must be UTF-8 text/,
    ],
    [
      'a name that is not UTF-8',
      { name: Buffer.from('caf\xe9.csv', 'latin1'), data: CSV },
      ErrorCode.UnexpectedZipEntry,
      /an entry named 'caf\?\.csv'/,
    ],
    [
      'a name of 300 characters',
      { name: `${'n'.repeat(296)}.csv`, data: CSV },
      ErrorCode.UnexpectedZipEntry,
      new RegExp(`an entry named '${'n'.repeat(79)}…'`),
    ],
    [
      'an unknown compression method',
      { name: 'a.csv', data: CSV, method: 12 },
      ErrorCode.InvalidZip,
      /a\.csv in up\.zip uses compression method 12/,
    ],
    [
      'an encrypted entry',
      { name: 'a.csv', data: CSV, flags: 0x801 },
      ErrorCode.InvalidZip,
      /a\.csv in up\.zip is encrypted/,
    ],
  ] as const)('refuses %s', async (_what, entry, code, message) => {
    const error = await refusal(openZip(sourceOf(rawZip([entry])), policy));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(error.message.length).toBeLessThan(300);
  });

  it('lists refused entries of a media zip with a printable name instead of failing it', async () => {
    const entries = await listZip(
      sourceOf(
        rawZip([
          { name: 'ok.wav', data: Buffer.from('RIFF') },
          { name: 'x\u0007.wav', data: Buffer.from('RIFF') },
        ]),
      ),
      { zipName: 'up.zip', maxEntryBytes: 1024 },
    );
    expect(entries.map((e) => [e.name, e.refusal?.code ?? null])).toEqual([
      ['ok.wav', null],
      ['x?.wav', ErrorCode.UnexpectedZipEntry],
    ]);
  });

  it('closes the read of the zip when a reader stops before the end of an entry', async () => {
    const source = sourceOf(rawZip([{ name: 'a.csv', data: Buffer.alloc(1_000_000, 'x') }]));
    const [entry] = await openZip(source, { ...policy, maxEntryBytes: 2_000_000 });
    const stream = entry.open();
    await new Promise((resolve) => stream.once('readable', resolve));
    stream.destroy();
    await new Promise((resolve) => setImmediate(resolve));
    expect(source.open).toBe(0);
  });
});

describe('printableName', () => {
  it('shows unprintable characters as ? and cuts long names with …', () => {
    expect(printableName('a\u0000\u001b\u0085\ufffdb')).toBe('a????b');
    expect(printableName('x'.repeat(100))).toBe(`${'x'.repeat(79)}…`);
    expect(printableName('日本語.csv')).toBe('日本語.csv');
  });
});
