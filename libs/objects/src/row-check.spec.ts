import { ErrorCode } from '@bulkops/contracts';
import { OBJECT_TYPES } from './registry';
import { checkRow, rowKey, settleRow } from './row-check';
import { hasUnstorableCell, UNSTORABLE_CHARACTER } from './row-problem';
import { team } from './types/team/team.object';
import { skillDefinition } from './types/skill-definition/skill-definition.object';

// Cells in team declaration order: Name, Site, Type, Multimedia Profile, Skill Profile, DN, Capacity, Desktop Layout, Action.
const teamRow = (cells: Partial<Record<number, string | null>>, width = 9): (string | null)[] =>
  Array.from({ length: width }, (_, i) => (i in cells ? cells[i]! : ''));

describe('checkRow', () => {
  it('reads a full row: trims, parses by kind and builds the normalised key Site/Name', () => {
    const checked = checkRow(team, teamRow({ 0: ' Sales ', 1: 'Austin', 2: 'agent', 3: 'MMP' }));
    expect(checked).toMatchObject({ action: 'upsert', keyNorm: 'austin/sales', problems: [] });
    expect(checked.values.slice(0, 4)).toEqual(['Sales', 'Austin', 'AGENT', 'MMP']);
  });

  it('reads DELETE in any case and then only the key, ignoring other cells', () => {
    const checked = checkRow(
      team,
      teamRow({ 0: 'Sales', 1: 'Austin', 2: 'not a type', 6: 'lots', 8: 'delete' }),
    );
    expect(checked).toMatchObject({ action: 'delete', keyNorm: 'austin/sales', problems: [] });
  });

  it('rejects an unknown action', () => {
    const checked = checkRow(team, teamRow({ 0: 'Sales', 1: 'Austin', 2: 'AGENT', 8: 'REMOVE' }));
    expect(checked.problems).toEqual([
      {
        code: ErrorCode.InvalidAction,
        column: 'Action',
        message:
          "Action: 'REMOVE' is not an action; leave it empty to create or update, or write DELETE",
      },
    ]);
  });

  it('rejects a cell holding a character Postgres cannot store, naming column and position', () => {
    const nul = checkRow(team, teamRow({ 0: 'Sales', 1: 'Austin', 2: 'AGENT', 3: 'MM\u0000x' }));
    expect(nul.problems).toEqual([
      {
        code: ErrorCode.InvalidValue,
        column: 'Multimedia Profile',
        message:
          'Multimedia Profile: the cell holds a NUL character at position 3, which cannot be stored; remove it (NUL bytes usually mean the file was saved in another encoding than UTF-8)',
      },
    ]);
    const surrogate = checkRow(team, teamRow({ 0: 'Sa\ud800les', 1: 'Austin', 2: 'AGENT' }));
    expect(surrogate.problems).toMatchObject([
      {
        column: 'Name',
        message: expect.stringMatching(
          /^Name: the cell holds half of a UTF-16 surrogate pair at position 3,/,
        ),
      },
    ]);
    expect(surrogate.keyNorm).toBeNull();
  });

  it('rejects an unstorable character in a cell a DELETE row does not read, and in Action', () => {
    const ignored = checkRow(team, teamRow({ 0: 'Sales', 1: 'Austin', 6: '\u0000', 8: 'DELETE' }));
    expect(ignored.problems.map((p) => p.column)).toEqual(['Capacity']);
    const action = checkRow(team, teamRow({ 0: 'Sales', 1: 'Austin', 2: 'AGENT', 8: 'DEL\u0000' }));
    expect(action.problems.map((p) => [p.code, p.column])).toEqual([
      [ErrorCode.InvalidValue, 'Action'],
    ]);
    expect(action.problems[0].message).not.toContain('\u0000');
  });

  it('keeps emoji and other astral characters, which are whole surrogate pairs', () => {
    expect(
      checkRow(team, teamRow({ 0: 'Sales', 1: 'Austin', 2: 'AGENT', 3: 'MM 😀' })).problems,
    ).toEqual([]);
  });

  it('finds the same unstorable cells as UNSTORABLE_CHARACTER, whatever the surrogates around them', () => {
    const cells = [
      ['plain', false],
      ['', false],
      ['MM 😀', false],
      ['\ud83d\ude00\ud83d\ude00', false],
      ['a\u0000b', true],
      ['\u0000', true],
      ['end\ud800', true],
      ['\udc00start', true],
      ['\ude00\ud83d', true],
      ['x\ud83d\ud83d\ude00', true],
    ] as const;
    for (const [cell, unstorable] of cells) {
      expect([cell, hasUnstorableCell([null, cell])]).toEqual([cell, unstorable]);
      expect([cell, UNSTORABLE_CHARACTER.test(cell)]).toEqual([cell, unstorable]);
    }
  });

  it('reports every problem of a row, not just the first', () => {
    const checked = checkRow(team, teamRow({ 0: '', 1: 'Austin', 2: 'ROBOT' }));
    expect(checked.problems.map((p) => p.code)).toEqual([
      ErrorCode.InvalidValue,
      ErrorCode.RequiredValue,
    ]);
    expect(checked.keyNorm).toBeNull();
  });

  it('requires conditional columns when their condition holds and refuses them when it does not', () => {
    const capacity = checkRow(team, teamRow({ 0: 'Cap', 1: 'Austin', 2: 'CAPACITY', 3: 'MMP' }));
    expect(capacity.problems.map((p) => [p.code, p.column])).toEqual([
      [ErrorCode.NotApplicable, 'Multimedia Profile'],
      [ErrorCode.RequiredValue, 'DN'],
      [ErrorCode.RequiredValue, 'Capacity'],
    ]);
    const agent = checkRow(team, teamRow({ 0: 'A', 1: 'Austin', 2: 'AGENT', 6: '5' }));
    expect(agent.problems).toEqual([
      {
        code: ErrorCode.NotApplicable,
        column: 'Capacity',
        message: 'Capacity: must be empty unless Type is CAPACITY; clear the cell',
      },
    ]);
  });

  it('leaves columns the file does not have unknown, so their rules wait for the stored state', () => {
    const cells: (string | null)[] = [
      'Cap',
      'Austin',
      'CAPACITY',
      null,
      null,
      null,
      null,
      null,
      null,
    ];
    const checked = checkRow(team, cells);
    expect(checked.values.slice(3)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(checked.problems.map((p) => p.message)).toEqual([
      'DN: a value is required when Type is CAPACITY, but the file has no DN column; add the column',
      'Capacity: a value is required when Type is CAPACITY, but the file has no Capacity column; add the column',
    ]);
  });
});

describe('settleRow', () => {
  const enumValues = skillDefinition.columns.findIndex((c) => c.name === 'Enum Values');

  it('takes absent columns from the stored object on update', () => {
    const input = ['Language', undefined, 20, 'ENUM', undefined];
    const stored = ['Language', 'Spoken', 30, 'ENUM', ['English']];
    expect(settleRow(skillDefinition, input, { kind: 'existing', values: stored })).toEqual({
      values: ['Language', 'Spoken', 20, 'ENUM', ['English']],
      problems: [],
    });
  });

  it('clears a stored value whose condition no longer holds instead of failing', () => {
    const input = ['Flag', undefined, 20, 'TEXT', undefined];
    const stored = ['Flag', null, 20, 'ENUM', ['A', 'B']];
    expect(
      settleRow(skillDefinition, input, { kind: 'existing', values: stored }).values[enumValues],
    ).toBeNull();
  });

  it('asks for a required column the file lacks when the row creates the object', () => {
    const settled = settleRow(skillDefinition, ['New', undefined, undefined, 'TEXT', undefined], {
      kind: 'create',
    });
    expect(settled.problems).toEqual([
      {
        code: ErrorCode.RequiredValue,
        column: 'Service Level Threshold',
        message:
          'Service Level Threshold: a value is required to create the object, but the file has no Service Level Threshold column; add the column',
      },
    ]);
  });
});

describe('rowKey', () => {
  // Key cells a file may hold: valid, padded, cased, empty, blank, invalid for most kinds,
  // unstorable, and an email (the user's key kind).
  const keyCells = [
    'Sales',
    '  Sales Team  ',
    'SALES',
    '',
    '   ',
    null,
    'Ana@Example.COM',
    'not an email',
    'x'.repeat(300),
    'Sa\u0000les',
    'Sa\ud800les',
    '+1 (555) 010-0199',
    '15550100199',
  ];

  it.each(OBJECT_TYPES.map((d) => [d.type, d] as const))(
    '%s: is checkRow’s key for every mix of key cells and actions',
    (_type, declaration) => {
      const width = declaration.columns.length + 1;
      let compared = 0;
      for (const action of ['', 'DELETE', 'REMOVE']) {
        for (const first of keyCells) {
          for (const second of declaration.keyColumns.length > 1 ? keyCells : [null]) {
            const cells: (string | null)[] = new Array(width).fill('');
            const [a, b] = declaration.keyColumns;
            cells[a.index] = first;
            if (b) cells[b.index] = second;
            cells[width - 1] = action;
            expect(rowKey(declaration, cells)).toBe(checkRow(declaration, cells).keyNorm);
            compared += 1;
          }
        }
      }
      expect(compared).toBeGreaterThanOrEqual(keyCells.length * 3);
    },
  );
});
