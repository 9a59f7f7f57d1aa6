import { Readable } from 'node:stream';
import { type BulkopsError, ErrorCode } from '@bulkops/contracts';
import { readCsv } from './csv-reader';
import { MAX_CELL_CHARS } from './csv-record-parser';
import { neutralise, unneutralise } from './formula';

async function read(
  content: string | Buffer,
  maxBytes = 1024 * 1024,
  pieces = 1,
): Promise<{ row: number; cells: string[] }[]> {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const size = Math.ceil(bytes.length / pieces);
  const chunks = Array.from({ length: pieces }, (_, i) => bytes.subarray(i * size, (i + 1) * size));
  const records = [];
  for await (const record of readCsv(Readable.from(chunks), { fileName: 'f.csv', maxBytes }))
    records.push(record);
  return records;
}

async function failure(content: string | Buffer, maxBytes?: number): Promise<BulkopsError> {
  try {
    await read(content, maxBytes);
  } catch (error) {
    return error as BulkopsError;
  }
  throw new Error('expected the read to fail');
}

describe('readCsv', () => {
  it('drops a BOM, accepts CRLF and LF, and counts rows as a spreadsheet does (blank lines skipped but counted)', async () => {
    expect(await read('\uFEFFa,b\r\n\r\n1,2\n,,\n"x,y","q""uote"\r\n')).toEqual([
      { row: 1, cells: ['a', 'b'] },
      { row: 3, cells: ['1', '2'] },
      { row: 5, cells: ['x,y', 'q"uote'] },
    ]);
  });

  it('keeps multi-byte characters split across chunks intact', async () => {
    expect(await read('name\nKøbenhavn 東京\n', 1024, 7)).toEqual([
      { row: 1, cells: ['name'] },
      { row: 2, cells: ['København 東京'] },
    ]);
  });

  it('undoes formula neutralisation on the way in', async () => {
    expect((await read("a\n'=SUM(A1)\n'abc\n"))[1].cells).toEqual(['=SUM(A1)']);
    expect((await read("a\n'=SUM(A1)\n'abc\n"))[2].cells).toEqual(["'abc"]);
  });

  it('names the row and line of a quoting mistake', async () => {
    const error = await failure('a,b\n"multi\nline",ok\n"bad"x,1\n');
    expect(error).toMatchObject({ code: ErrorCode.MalformedCsv, details: { file: 'f.csv' } });
    expect(error.message).toMatch(
      /^f\.csv is not valid CSV at row 3 \(line 4\): a closing quote is followed by 'x'/,
    );
    expect((await failure('a\n"never closed\n')).message).toMatch(
      /at row 2 \(line 3\): the quoted cell opened on line 2 is never closed/,
    );
  });

  it('refuses text that is not UTF-8', async () => {
    expect(await failure(Buffer.from('a\nZ\xfcrich\n', 'latin1'))).toMatchObject({
      code: ErrorCode.InvalidEncoding,
    });
  });

  it('reads the same records whatever pieces the bytes arrive in', async () => {
    const text =
      '\uFEFFa,b,c\r\n"q""x","multi\r\nline", plain "quote"\n"",,\n"x" ,"y"\t,z\r\nlast,"ends""",here';
    const expected = [
      { row: 1, cells: ['a', 'b', 'c'] },
      { row: 2, cells: ['q"x', 'multi\r\nline', ' plain "quote"'] },
      { row: 4, cells: ['x', 'y', 'z'] },
      { row: 5, cells: ['last', 'ends"', 'here'] },
    ];
    const bytes = Buffer.from(text, 'utf8');
    expect(await read(bytes)).toEqual(expected);
    expect(await read(bytes, 1024, bytes.length)).toEqual(expected);
    expect(await read(bytes, 1024, 7)).toEqual(expected);
  });

  it('refuses a 10 MB line early with LINE_TOO_LONG, naming the file and row', async () => {
    const error = await failure(`Name\n${'x,'.repeat(5 * 1024 * 1024)}\n`, 11 * 1024 * 1024);
    expect(error).toMatchObject({ code: ErrorCode.LineTooLong, details: { file: 'f.csv' } });
    expect(error.message).toBe(
      "f.csv: row 2 (from line 2) is longer than 1,048,576 characters; check that lines end with LF or CRLF and that quotes are balanced, or split the row's values",
    );
  });

  it('refuses a header of a million columns with LINE_TOO_LONG', async () => {
    const error = await failure(`Name${',Name'.repeat(1_000_000)}\n`, 11 * 1024 * 1024);
    expect(error).toMatchObject({ code: ErrorCode.LineTooLong });
    expect(error.message).toMatch(/^f\.csv: row 1 \(from line 1\)/);
  });

  it('reads the longest legal cell and refuses a longer one with CELL_TOO_LONG', async () => {
    // An Outdial ANI's Entries: 1000 × (80-character name + ':' + 255-character SIP number).
    const entry = `${'n'.repeat(80)}:sip:${'u'.repeat(251)}`;
    const entries = Array.from({ length: 1000 }, () => entry).join('|');
    expect(entries).toHaveLength(336_999);
    const records = await read(`Name,Entries\nA,"${entries}"\n`, 11 * 1024 * 1024, 50);
    expect(records[1].cells[1]).toBe(entries);
    const error = await failure(`Name,Entries\nA,${'e'.repeat(MAX_CELL_CHARS + 1)}\n`, 11e6);
    expect(error).toMatchObject({ code: ErrorCode.CellTooLong, details: { file: 'f.csv' } });
    expect(error.message).toMatch(
      /^f\.csv: cell 2 of row 2 \(from line 2\) is longer than 393,216 characters/,
    );
  });

  it('refuses a quoted cell that swallows the rest of a big file', async () => {
    const error = await failure(`Name\n"open\n${'row\n'.repeat(200_000)}`, 11e6);
    expect(error).toMatchObject({ code: ErrorCode.CellTooLong });
  });

  it('refuses CR-only line endings, and accepts a CR at the very end', async () => {
    const error = await failure('Name,Multimedia Profile\rAustin,MMP\r');
    expect(error).toMatchObject({ code: ErrorCode.MalformedCsv, details: { file: 'f.csv' } });
    expect(error.message).toMatch(
      /^f\.csv is not valid CSV at row 1 \(line 1\): a carriage return \(CR\) is not followed by a line feed; lines must end with LF or CRLF/,
    );
    expect((await failure('a,b\r\nx\ry,z\r\n')).message).toMatch(/at row 2 \(line 2\)/);
    expect(await read('a,b\r\nx,y\r')).toEqual([
      { row: 1, cells: ['a', 'b'] },
      { row: 2, cells: ['x', 'y'] },
    ]);
  });

  it.each([
    ['UTF-16 with a byte order mark', Buffer.from('\uFEFFName\nA\n', 'utf16le'), /near position 0/],
    ['UTF-16 without one', Buffer.from('Name\nA\n', 'utf16le'), /probably UTF-16/],
    ['overlong UTF-8', Buffer.from([0x61, 0x0a, 0xc0, 0xaf, 0x0a]), /not valid UTF-8/],
    ['an encoded surrogate', Buffer.from([0x61, 0x0a, 0xed, 0xa0, 0x80, 0x0a]), /not valid UTF-8/],
  ])('refuses %s with INVALID_ENCODING', async (_what, bytes, message) => {
    const error = await failure(bytes);
    expect(error).toMatchObject({ code: ErrorCode.InvalidEncoding, details: { file: 'f.csv' } });
    expect(error.message).toMatch(message);
  });

  it('stops at the byte limit', async () => {
    expect(await failure('a\n'.repeat(100), 50)).toMatchObject({
      code: ErrorCode.FileTooLarge,
      message:
        'f.csv is larger than 50 bytes; split it into smaller files (a zip may hold several)',
    });
  });
});

describe('formula neutralisation', () => {
  it.each(['=1+1', '+15125550100', '-5', '@SUM', '\tTab', '\rCR', "'=already quoted", "''+twice"])(
    'neutralises %j and restores it exactly',
    (cell) => {
      expect(neutralise(cell)).toBe(`'${cell}`);
      expect(unneutralise(neutralise(cell))).toBe(cell);
    },
  );

  it('leaves other cells, including ones that already start with a quote, alone', () => {
    for (const cell of ['', 'Austin', "'quoted", "'"]) {
      expect(neutralise(cell)).toBe(cell);
      expect(unneutralise(cell)).toBe(cell);
    }
  });
});
