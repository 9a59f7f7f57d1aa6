import { neutralise, unneutralise } from './formula';

describe('formula neutralisation', () => {
  it.each(['=SUM(A1:A3)', '+15551234567', '-5', '@cmd', '\tx', '\rx'])(
    'prefixes %j with one quote',
    (cell) => {
      expect(neutralise(cell)).toBe(`'${cell}`);
    },
  );

  it.each(['', 'Austin', "O'Brien", "'quoted'", "'", "''", '1+1', 'a=b', 'Zürich ☎ 東京'])(
    'leaves %j alone',
    (cell) => {
      expect(neutralise(cell)).toBe(cell);
      expect(unneutralise(cell)).toBe(cell);
    },
  );

  it('removes exactly the quote it added on import', () => {
    expect(unneutralise("'=SUM(A1)")).toBe('=SUM(A1)');
    expect(unneutralise("'+15551234567")).toBe('+15551234567');
    expect(unneutralise("''=x")).toBe("'=x");
  });

  it.each(["'=x", "''+1", "'-", "'@home", '=', "'''=deep", '-', "'"])(
    'gives back %j exactly after export and import',
    (stored) => {
      expect(unneutralise(neutralise(stored))).toBe(stored);
    },
  );

  it('never lets an exported cell start with a formula trigger', () => {
    for (const stored of ['=1', "'=1", '+1', '@x', '-x']) {
      expect(['=', '+', '-', '@', '\t', '\r']).not.toContain(neutralise(stored)[0]);
    }
  });
});
