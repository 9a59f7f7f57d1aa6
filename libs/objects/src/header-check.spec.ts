import { ErrorCode } from '@bulkops/contracts';
import { arrangeCells, checkHeader } from './header-check';
import { team } from './types/team/team.object';
import { skillDefinition } from './types/skill-definition/skill-definition.object';

describe('checkHeader', () => {
  it('matches names in any order and case, with collapsed spaces', () => {
    const match = checkHeader(team, ['  SITE', 'name', 'TYPE', 'multimedia   profile'], 't.csv');
    expect(match).toMatchObject({ ok: true, slots: [1, 0, 2, 3], hasAction: false });
  });

  it('accepts header aliases and ignores the columns the error report adds', () => {
    const match = checkHeader(
      skillDefinition,
      [
        'Name',
        'Service Level Threshold',
        'Type',
        'List Values For Enum',
        'Source File',
        'Source Row',
        'Error Message',
      ],
      's.csv',
    );
    expect(match).toMatchObject({ ok: true, slots: [0, 2, 3, 4, 'ignored', 'ignored', 'ignored'] });
  });

  it('ignores empty cells at the end of the header but not in the middle', () => {
    expect(checkHeader(team, ['Name', 'Site', 'Type', '', ''], 't.csv').ok).toBe(true);
    expect(checkHeader(team, ['Name', '', 'Site', 'Type'], 't.csv')).toEqual({
      ok: false,
      code: ErrorCode.UnknownColumn,
      message: 't.csv: header column 2 is empty; name it or delete the column',
    });
  });

  it('needs only the key columns when the file has an Action column', () => {
    expect(checkHeader(team, ['Name', 'Site', 'Action'], 't.csv').ok).toBe(true);
    expect(checkHeader(team, ['Name', 'Action'], 't.csv')).toMatchObject({
      ok: false,
      code: ErrorCode.MissingColumn,
      message: "t.csv has no 'Site' column; add it to the header (required: Name, Site)",
    });
    expect(checkHeader(team, ['Name', 'Site'], 't.csv')).toMatchObject({
      ok: false,
      code: ErrorCode.MissingColumn,
    });
  });

  it('arranges a record into declaration order, null for absent columns, Action last', () => {
    const match = checkHeader(team, ['Type', 'Name', 'Site', 'Action'], 't.csv');
    if (!match.ok) throw new Error(match.message);
    expect(
      arrangeCells(match, ['AGENT', 'Sales', 'Austin', 'DELETE'], team.columns.length),
    ).toEqual(['Sales', 'Austin', 'AGENT', null, null, null, null, null, 'DELETE']);
    expect(arrangeCells(match, ['AGENT', 'Sales'], team.columns.length)).toEqual([
      'Sales',
      '',
      'AGENT',
      null,
      null,
      null,
      null,
      null,
      '',
    ]);
  });

  it('quotes at most 60 characters of a bad column name, however long it is', () => {
    const failure = checkHeader(team, ['Name', 'Site', 'x'.repeat(10 * 1024 * 1024)], 't.csv');
    expect(failure).toMatchObject({ ok: false, code: ErrorCode.UnknownColumn });
    if (failure.ok) throw new Error('expected a failure');
    expect(failure.message).toBe(
      `t.csv has an unknown column '${'x'.repeat(57)}...' (header column 3); the team columns are Name, Site, Type, Multimedia Profile, Skill Profile, DN, Capacity, Desktop Layout, Action`,
    );
  });

  it('shows a NUL in a column name as U+FFFD, so the failure can be stored', () => {
    const failure = checkHeader(team, ['Name', 'Si\u0000te'], 't.csv');
    expect(failure.ok || failure.message).toMatch(/unknown column 'Si\ufffdte'/);
  });

  it('gives trailing empty header cells no slot, so a million of them cost nothing per row', () => {
    const match = checkHeader(
      team,
      ['Name', 'Site', 'Type', ...Array<string>(1_000_000).fill('')],
      't.csv',
    );
    expect(match).toMatchObject({ ok: true, slots: [0, 1, 2] });
  });
});
