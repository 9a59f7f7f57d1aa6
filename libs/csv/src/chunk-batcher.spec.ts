import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { batchChunks } from './chunk-batcher';

async function chunksOut(input: Buffer[], minBytes: number): Promise<Buffer[]> {
  const out: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      out.push(chunk);
      callback();
    },
  });
  await pipeline(Readable.from(input), batchChunks(minBytes), sink);
  return out;
}

describe('batchChunks', () => {
  it('passes the first chunk at once, then joins the rest into chunks of at least minBytes', async () => {
    const rows = Array.from({ length: 10 }, (_, i) => Buffer.from(`row ${i}\r\n`));
    const out = await chunksOut(rows, 20);
    expect(out[0].toString()).toBe('row 0\r\n');
    expect(out.slice(1, -1).every((chunk) => chunk.length >= 20)).toBe(true);
    expect(Buffer.concat(out).toString()).toBe(rows.map(String).join(''));
    expect(out.length).toBeLessThan(rows.length);
  });

  it('flushes what it holds at the end and passes nothing for no input', async () => {
    expect((await chunksOut([Buffer.from('a'), Buffer.from('b')], 1000)).map(String)).toEqual([
      'a',
      'b',
    ]);
    expect(await chunksOut([], 10)).toEqual([]);
  });
});
