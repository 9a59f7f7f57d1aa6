import { CopyBinary } from './copy-rows';

describe('CopyBinary', () => {
  it('starts with the binary signature and no flags, and ends with the trailer', () => {
    const binary = new CopyBinary();
    binary.row([true], ['boolean']);
    const bytes = binary.finish();
    expect(bytes.subarray(0, 11)).toEqual(Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'));
    expect(bytes.readInt32BE(11)).toBe(0);
    expect(bytes.readInt32BE(15)).toBe(0);
    // One field of four bytes' length and one byte of value, then -1 fields: the end.
    expect([...bytes.subarray(19)]).toEqual([0, 1, 0, 0, 0, 1, 1, 0xff, 0xff]);
  });

  it('writes NULL as length -1 and text as its UTF-8 length and bytes', () => {
    const binary = new CopyBinary();
    binary.take(); // the header
    binary.row([null, 'é🎧'], ['uuid', 'text']);
    const bytes = binary.take();
    expect(bytes.readInt16BE(0)).toBe(2);
    expect(bytes.readInt32BE(2)).toBe(-1);
    expect(bytes.readInt32BE(6)).toBe(6);
    expect(bytes.subarray(10).toString('utf8')).toBe('é🎧');
    expect(binary.rows).toBe(0);
  });

  it('writes a UUID as its 16 bytes, in either case of hex digit', () => {
    const binary = new CopyBinary();
    binary.take();
    binary.row(['A0EEBC99-9c0b-4ef8-bb6d-6bb9bd380a11'], ['uuid']);
    expect(binary.take().subarray(6).toString('hex')).toBe('a0eebc999c0b4ef8bb6d6bb9bd380a11');
  });

  it('refuses a value its column type cannot hold instead of sending bytes Postgres would misread', () => {
    const binary = new CopyBinary();
    for (const bad of [
      'a0eebc999c0b4ef8bb6d6bb9bd380a11',
      'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1g',
      'x',
    ]) {
      expect(() => binary.row([bad], ['uuid'])).toThrow(`not a UUID: ${bad}`);
    }
    expect(() => binary.row([1.5], ['integer'])).toThrow('not a 32-bit integer: 1.5');
    expect(() => binary.row([2 ** 31], ['integer'])).toThrow('not a 32-bit integer: 2147483648');
  });

  it('grows its buffer for a row larger than a batch', () => {
    const binary = new CopyBinary();
    binary.take();
    const large = '東'.repeat(200_000);
    binary.row([large], ['text']);
    const bytes = binary.take();
    expect(bytes.readInt32BE(2)).toBe(600_000);
    expect(bytes.subarray(6).toString('utf8')).toBe(large);
  });
});
