import { type BulkopsError, ErrorCode } from '@bulkops/contracts';
import type { RecordedChange } from '@bulkops/database';
import { changeCursor } from './change-cursor';
import { changeCsvLines, changeView } from './change-lines';

const crafted = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A recorded change of a site (columns Name, Multimedia Profile). */
function site(change: Partial<RecordedChange>): RecordedChange {
  return {
    chunkSeq: 0,
    rowIndex: 0,
    object: 'site',
    action: 'update',
    objectId: '0b7f8f2e-6a7c-4f57-9d61-2f4b8d3e1a90',
    keyDisplay: 'Austin',
    before: null,
    after: null,
    sourceFile: 'sites.csv',
    sourceRow: 2,
    ...change,
  };
}

describe('change lines', () => {
  it('shows an update as the columns whose text changed, one CSV line each', () => {
    const view = changeView(
      site({ before: ['Austin', 'MMP Default'], after: ['Austin', 'MMP Sales'] }),
    );
    expect(view).toEqual({
      object: 'site',
      key: 'Austin',
      action: 'UPDATE',
      columns: [{ column: 'Multimedia Profile', oldValue: 'MMP Default', newValue: 'MMP Sales' }],
      sourceFile: 'sites.csv',
      sourceRow: 2,
    });
    expect(changeCsvLines(view)).toEqual([
      [
        'site',
        'Austin',
        'UPDATE',
        'Multimedia Profile',
        'MMP Default',
        'MMP Sales',
        'sites.csv',
        '2',
      ],
    ]);
  });

  it('shows a create and a delete as one line with their values as Column=value pairs', () => {
    const created = changeView(site({ action: 'create', after: ['Boston', 'MMP East'] }));
    expect(changeCsvLines(created)).toEqual([
      [
        'site',
        'Austin',
        'CREATE',
        '',
        '',
        'Name=Boston; Multimedia Profile=MMP East',
        'sites.csv',
        '2',
      ],
    ]);
    const deleted = changeView(site({ action: 'delete', before: ['Austin', null] }));
    expect(deleted.columns).toEqual([{ column: 'Name', oldValue: 'Austin', newValue: null }]);
    expect(changeCsvLines(deleted)).toEqual([
      ['site', 'Austin', 'DELETE', '', 'Name=Austin', '', 'sites.csv', '2'],
    ]);
  });

  it('writes an update whose columns all stayed the same (new media bytes) as a content line', () => {
    const view = changeView(site({ before: ['Austin', 'MMP'], after: ['Austin', 'MMP'] }));
    expect(view.columns).toEqual([]);
    expect(changeCsvLines(view)).toEqual([
      ['site', 'Austin', 'UPDATE', '(file content)', '', '', 'sites.csv', '2'],
    ]);
  });
});

describe('change cursors', () => {
  it('gives back the chunk and row they were made from', () => {
    const cursor = changeCursor.encode({ chunkSeq: 3, rowIndex: 4999 });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(changeCursor.decode(cursor)).toEqual({ chunkSeq: 3, rowIndex: 4999 });
  });

  it.each([
    ['empty', ''],
    ['numbers instead of their text', crafted([1, 2])],
    ['a negative position', crafted(['-1', '0'])],
    ['a leading zero', crafted(['01', '0'])],
    ['more than Postgres holds', crafted(['2147483648', '0'])],
    ['one item', crafted(['1'])],
    ['an object', crafted({ chunkSeq: '1', rowIndex: '2' })],
    ['base64url garbage', '----____'],
  ])('refuses %s as INVALID_REQUEST', (_name, cursor) => {
    expect(() => changeCursor.decode(cursor)).toThrow(
      expect.objectContaining({ code: ErrorCode.InvalidRequest }) as BulkopsError,
    );
  });
});
