import { ErrorCode } from '@bulkops/contracts';
import type { ChunkForApply, StagedRow } from '@bulkops/database';
import { getObject, type RowProblem } from '@bulkops/objects';
import { ChunkRows } from './chunk-rows';

// Site cells in declaration order, Action last.
const site = getObject('site');
const cells = (name: string, profile = 'MMP'): (string | null)[] => {
  const row: (string | null)[] = new Array(site.columns.length + 1).fill('');
  row[site.column('Name').index] = name;
  row[site.column('Multimedia Profile').index] = profile;
  return row;
};

const repeated: RowProblem = {
  code: ErrorCode.DuplicateKey,
  column: 'Name',
  message: "Name: 'Austin' is on more than one row",
};

function chunkOf(rows: StagedRow[], rejections: ChunkForApply['rejections'] = null) {
  return { seq: 0, fileOrdinal: 0, rows, rejections };
}

const codesOf = (problems: RowProblem[]) => problems.map((p) => `${p.code} ${p.column}`);

describe('ChunkRows.read', () => {
  it('checks every row staged without problems and rejects those its own rules refuse', () => {
    const rows = ChunkRows.read(
      site,
      chunkOf([
        { line: 2, cells: cells('Austin') },
        { line: 3, cells: cells('Boston', '') },
      ]),
    );
    expect(rows.live().map((r) => r.line)).toEqual([2]);
    expect(rows.rejected()).toHaveLength(1);
    expect(rows.rejected()[0]).toMatchObject({ line: 3 });
    expect(codesOf(rows.rejected()[0].problems)).toEqual([
      `${ErrorCode.RequiredValue} Multimedia Profile`,
    ]);
  });

  it("lists a repeated key's own problems first, then the repetition", () => {
    const rows = ChunkRows.read(
      site,
      chunkOf(
        [
          { line: 2, cells: cells('Austin', '') },
          { line: 3, cells: cells('Boston') },
        ],
        { '0': repeated },
      ),
    );
    expect(rows.live().map((r) => r.line)).toEqual([3]);
    expect(codesOf(rows.rejected()[0].problems)).toEqual([
      `${ErrorCode.RequiredValue} Multimedia Profile`,
      `${ErrorCode.DuplicateKey} Name`,
    ]);
  });

  it('keeps the problems a row was staged with and does not check it again', () => {
    const staged: RowProblem = { code: ErrorCode.InvalidValue, column: 'Name', message: 'x' };
    const rows = ChunkRows.read(
      site,
      chunkOf([{ line: 2, cells: cells('Austin', ''), problems: [staged] }], {
        '0': repeated,
      }),
    );
    expect(rows.live()).toEqual([]);
    expect(rows.rejected()[0].problems).toEqual([staged, repeated]);
  });
});
