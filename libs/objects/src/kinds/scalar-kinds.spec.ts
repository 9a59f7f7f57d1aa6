import { ErrorCode } from '@bulkops/contracts';
import { boolean } from './boolean.kind';
import { enumeration } from './enumeration.kind';
import { integer } from './integer.kind';
import { list, pairs } from './list.kind';
import { name, NameSets } from './name-set.kind';
import { aniNumber, dialedNumber } from './numbers.kind';
import { externalName } from './text.kind';
import { timezone } from './timezone.kind';

const value = <T>(outcome: { ok: true; value: T } | { ok: false }) =>
  outcome.ok ? outcome.value : undefined;
const message = (outcome: { ok: true } | { ok: false; problem: { message: string } }) =>
  outcome.ok ? undefined : outcome.problem.message;

describe('column kinds', () => {
  it('reads enumerations in any case with space and underscore alike, and their aliases', () => {
    const channel = enumeration(['SOCIAL_CHANNEL', 'SMS'], { MESSAGEBIRD: 'SMS' });
    expect(value(channel.parse('social channel', 'C'))).toBe('SOCIAL_CHANNEL');
    expect(value(channel.parse('Social_Channel', 'C'))).toBe('SOCIAL_CHANNEL');
    expect(value(channel.parse('messagebird', 'C'))).toBe('SMS');
    expect(message(channel.parse('fax', 'C'))).toBe("C: 'fax' is not one of SOCIAL_CHANNEL, SMS");
  });

  it('reads booleans as TRUE/FALSE, YES/NO, ON/OFF and writes TRUE or FALSE', () => {
    expect(['true', 'Yes', 'ON'].map((t) => value(boolean.parse(t, 'B')))).toEqual([
      true,
      true,
      true,
    ]);
    expect(['FALSE', 'no', 'off'].map((t) => value(boolean.parse(t, 'B')))).toEqual([
      false,
      false,
      false,
    ]);
    expect(message(boolean.parse('1', 'B'))).toBe("B: '1' is not a boolean; write TRUE or FALSE");
    expect(boolean.format(true, () => '')).toBe('TRUE');
  });

  it('reads whole numbers in range only: no sign, separators or decimals', () => {
    const seconds = integer(0, 604800, 'seconds');
    expect(value(seconds.parse('604800', 'S'))).toBe(604800);
    for (const bad of ['-1', '+1', '1,000', '1.5', '1e3'])
      expect(seconds.parse(bad, 'S').ok).toBe(false);
    expect(message(seconds.parse('604801', 'S'))).toBe(
      "S: '604801' is out of range; use 0–604800 seconds",
    );
  });

  it('checks name character sets, first characters and suffixes', () => {
    expect(value(name(NameSets.auxiliaryCode).parse('Lunch (1h)/Break', 'N'))).toBe(
      'Lunch (1h)/Break',
    );
    expect(message(name(NameSets.entryPoint).parse('1-800 Line', 'N'))).toBe(
      "N: '1-800 Line' must start with a letter; use letters, digits, spaces, '_', '-' and '&', starting with a letter",
    );
    expect(message(name(NameSets.audio).parse('hold.mp3', 'N'))).toContain("must end in '.wav'");
    expect(message(name(NameSets.site).parse('Zürich', 'N'))).toContain(
      "contains 'ü', which is not allowed",
    );
    expect(message(name(NameSets.site).parse('x'.repeat(81), 'N'))).toBe(
      `N: '${'x'.repeat(57)}...' is 81 characters long; the limit is 80`,
    );
  });

  it('accepts canonical IANA zones in any case and refuses links and inventions', () => {
    expect(value(timezone.parse('america/new_york', 'T'))).toBe('America/New_York');
    expect(value(timezone.parse('Asia/Kolkata', 'T'))).toBe('Asia/Kolkata');
    expect(value(timezone.parse('UTC', 'T'))).toBe('UTC');
    expect(timezone.parse('US/Eastern', 'T').ok).toBe(false);
    expect(timezone.parse('Mars/Olympus', 'T').ok).toBe(false);
  });

  it('compares dialed numbers without dots and dashes, and knows SIP URIs from digits', () => {
    expect(dialedNumber.norm('+1-512.555.0100')).toBe(dialedNumber.norm('+15125550100'));
    expect(value(aniNumber.parse('sip:lab@example.com', 'A'))).toBe('sip:lab@example.com');
    expect(aniNumber.parse('12', 'A').ok).toBe(true);
    expect(aniNumber.parse('1', 'A').ok).toBe(false);
  });

  it('splits lists on |, sorts them, and refuses empty and repeated items', () => {
    const values = list(name(NameSets.basic), { min: 1, max: 3 });
    expect(value(values.parse('b | A |c', 'L'))).toEqual(['A', 'b', 'c']);
    expect(message(values.parse('A||B', 'L'))).toBe(
      "L: 'A||B' has an empty item; remove the extra '|'",
    );
    expect(message(values.parse('A|a', 'L'))).toBe(
      "L: 'A|a' lists 'a' more than once; list each item once",
    );
    expect(message(values.parse('a|b|c|d', 'L'))).toBe('L: lists 4 items; the limit is 3');
  });

  it('splits pairs on the first colon so SIP URIs survive, keeping the written order', () => {
    const entries = pairs(name(NameSets.basic), aniNumber, {
      keyLabel: 'Entry Name',
      valueLabel: 'Number',
      max: 1000,
    });
    expect(value(entries.parse('Main:+18005550100|Lab:sip:lab@example.com', 'E'))).toEqual([
      { key: 'Main', value: '+18005550100' },
      { key: 'Lab', value: 'sip:lab@example.com' },
    ]);
    expect(message(entries.parse('Main', 'E'))).toBe(
      "E: item 'Main' has no ':'; write each item as Entry Name:Number",
    );
  });

  it('refuses | in external names', () => {
    expect(externalName.parse('a|b', 'X')).toMatchObject({
      ok: false,
      problem: { code: ErrorCode.InvalidValue },
    });
  });
});
