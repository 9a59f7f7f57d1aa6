import { Readable } from 'node:stream';
import { type BulkopsError, ErrorCode } from '@bulkops/contracts';
import { readCsv } from './csv-reader';
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
