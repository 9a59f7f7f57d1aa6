import { parseCsv } from './api-driver';
import { waitFor } from './wait-for';

describe('test helpers', () => {
  it('parse RFC 4180 CSV the way the assertions need it', () => {
    expect(parseCsv('a,"b,c","d""e"\r\n"multi\nline",,x\n')).toEqual([
      ['a', 'b,c', 'd"e'],
      ['multi\nline', '', 'x'],
    ]);
  });

  it('wait for a condition and name it when it never comes', async () => {
    let calls = 0;
    await expect(
      waitFor('the third call', () => (++calls >= 3 ? calls : undefined), 1000, 1),
    ).resolves.toBe(3);
    await expect(waitFor('a miracle', () => false, 30, 5)).rejects.toThrow(
      'timed out after 30 ms waiting for a miracle (last value: false)',
    );
  });
});
