import { ErrorCode } from '@bulkops/contracts';
import { UNKNOWN } from '../condition';
import { settleRow } from '../row-check';
import { findObject } from '../registry';
import type { Outcome } from '../row-problem';
import { boolean } from './boolean.kind';
import { callDistribution } from './call-distribution.kind';
import { socialChannelType } from './channel.kind';
import type { NameLookup, Resolver, RowValues, TargetRecord } from './kind';
import { list, pairs } from './list.kind';
import { name, NameSets } from './name-set.kind';
import { aniNumber } from './numbers.kind';
import { emptyOrSameAs, referenceList } from './reference.kind';
import { externalName } from './text.kind';

function value<T>(outcome: Outcome<T>): T {
  if (!outcome.ok) throw new Error(outcome.problem.message);
  return outcome.value;
}

function message(outcome: Outcome<unknown>): string {
  if (outcome.ok) throw new Error('expected a problem');
  return outcome.problem.message;
}

/** Teams as a chunk would load them: key `site/name`, bare names resolved when unique. */
const TEAMS: TargetRecord[] = [
  ['t-as', 'austin/sales', 'Austin/Sales', 'Sales', 'AGENT'],
  ['t-ao', 'austin/overflow', 'Austin/Overflow', 'Overflow', 'CAPACITY'],
  ['t-ds', 'denver/sales', 'Denver/Sales', 'Sales', 'AGENT'],
].map(([id, keyNorm, keyDisplay, leaf, type]) => ({
  id: id,
  keyNorm: keyNorm,
  keyDisplay: keyDisplay,
  values: { name: leaf, type },
}));

const resolve: Resolver = (_target, need) => {
  const exact = TEAMS.find((t) => t.keyNorm === need.norm);
  if (exact) return { found: exact };
  const bare = TEAMS.filter((t) => String(t.values['name']).toLowerCase() === need.norm);
  if (bare.length === 1) return { found: bare[0] };
  return bare.length > 1 ? { ambiguous: bare } : { missing: true };
};

const names: NameLookup = (_target, id, form) => {
  const team = TEAMS.find((t) => t.id === id)!;
  return form === 'key' ? team.keyDisplay : String(team.values['name']);
};

const noRow: RowValues = { get: () => null };

describe('the Call Distribution kind', () => {
  it('keeps the group order, stores each group’s teams by key and writes them back canonically', () => {
    const parsed = value(
      callDistribution.parse('Denver/Sales | austin/sales ; 60: Overflow', 'Call Distribution'),
    );
    expect(parsed).toEqual([
      { after: 0, teams: ['Denver/Sales', 'austin/sales'] },
      { after: 60, teams: ['Overflow'] },
    ]);
    const stored = value(
      callDistribution.reference!.bind(parsed, resolve, noRow, 'Call Distribution'),
    );
    expect(stored).toEqual([
      { after: 0, teams: ['t-as', 't-ds'] },
      { after: 60, teams: ['t-ao'] },
    ]);
    expect(callDistribution.format(stored, names)).toBe(
      'Austin/Sales|Denver/Sales;60:Austin/Overflow',
    );
  });

  it('accepts ten groups and refuses an eleventh', () => {
    const ten = ['A', ...Array.from({ length: 9 }, (_, i) => `${(i + 1) * 10}:T${i}`)].join(';');
    expect(value(callDistribution.parse(ten, 'Call Distribution'))).toHaveLength(10);
    expect(message(callDistribution.parse(`${ten};999:Z`, 'Call Distribution'))).toBe(
      'Call Distribution: has 11 groups; the limit is 10, so merge some groups',
    );
  });

  it('accepts times from 1 to 604800 seconds only', () => {
    expect(value(callDistribution.parse('A;604800:B', 'Call Distribution'))[1].after).toBe(604_800);
    expect(message(callDistribution.parse('A;604801:B', 'Call Distribution'))).toBe(
      "Call Distribution: group 2 time '604801' is out of range; use 1–604800 seconds",
    );
    expect(message(callDistribution.parse('A;0:B', 'Call Distribution'))).toBe(
      "Call Distribution: group 2 time '0' is out of range; use 1–604800 seconds",
    );
  });

  it('refuses a group with a time but no team, and an ambiguous bare name', () => {
    expect(message(callDistribution.parse('A;60:', 'Call Distribution'))).toBe(
      "Call Distribution: group 2 '60:' names no team; list at least one team after the time",
    );
    const parsed = value(callDistribution.parse('Sales', 'Call Distribution'));
    const bound = callDistribution.reference!.bind(parsed, resolve, noRow, 'Call Distribution');
    expect(bound.ok ? null : bound.problem.code).toBe(ErrorCode.AmbiguousReference);
  });

  it('finds a team inside any group of a stored cell (IN_USE)', () => {
    expect(callDistribution.reference!.containsSql('r.call_distribution', 't.id')).toBe(
      "r.call_distribution @> jsonb_build_array(jsonb_build_object('teams', jsonb_build_array(t.id::text)))",
    );
  });
});

describe('pair lists', () => {
  const entries = pairs(name(NameSets.basic), aniNumber, {
    keyLabel: 'Entry Name',
    valueLabel: 'Number',
    max: 3,
  });

  it('split on the first colon, so SIP URIs survive, and keep the written order', () => {
    const parsed = value(
      entries.parse('Main:+18005550100|Lab:sips:lab@example.com:5061', 'Entries'),
    );
    expect(parsed).toEqual([
      { key: 'Main', value: '+18005550100' },
      { key: 'Lab', value: 'sips:lab@example.com:5061' },
    ]);
    expect(entries.format(parsed, names)).toBe('Main:+18005550100|Lab:sips:lab@example.com:5061');
  });

  it('hold at most the declared number of entries', () => {
    expect(message(entries.parse('A:+100|B:+101|C:+102|D:+103', 'Entries'))).toBe(
      'Entries: lists 4 items; the limit is 3',
    );
  });
});

describe('canonical cell text (objects.md §1.9)', () => {
  it('writes booleans TRUE/FALSE and enumerations in their canonical upper-case form, aliases included', () => {
    expect(boolean.format(value(boolean.parse('yes', 'X')), names)).toBe('TRUE');
    expect(boolean.format(value(boolean.parse('off', 'X')), names)).toBe('FALSE');
    expect(value(socialChannelType.parse('Facebook Messenger', 'X'))).toBe('MESSENGER');
    expect(value(socialChannelType.parse('apple messages for business', 'X'))).toBe(
      'APPLE_BUSINESS_CHAT',
    );
    expect(value(socialChannelType.parse('MessageBird', 'X'))).toBe('SMS');
    expect(value(socialChannelType.parse('google business messages', 'X'))).toBe(
      'GOOGLE_BUSINESS_MESSAGES',
    );
  });

  it('sorts plain lists and reference lists case-insensitively, writing Site/Team or, inside a site, bare names', () => {
    expect(
      list(externalName).format(
        value(list(externalName).parse('b plan|A plan|c plan', 'X')),
        names,
      ),
    ).toBe('A plan|b plan|c plan');
    expect(referenceList('team').format(['t-ds', 't-ao', 't-as'], names)).toBe(
      'Austin/Overflow|Austin/Sales|Denver/Sales',
    );
    expect(referenceList('team', { within: 'Site' }).format(['t-as', 't-ao'], names)).toBe(
      'Overflow|Sales',
    );
  });
});

describe('Parent Site rules of referenced profiles and books', () => {
  const rule = emptyOrSameAs('parentSite', 'Parent Site', 'site');
  const book = (parentSite: string | null): TargetRecord => ({
    id: 'b',
    keyNorm: 'b',
    keyDisplay: 'Book',
    values: { parentSite },
  });
  const row = (site: unknown, written: string | null): RowValues => ({
    get: () => site,
    written: () => written,
  });

  it('accepts an organization-wide target or one of the same site, and leaves a failed site binding alone', () => {
    expect(rule.accept(book(null), row('s-austin', 'Austin'))).toBeNull();
    expect(rule.accept(book('s-austin'), row('s-austin', 'Austin'))).toBeNull();
    expect(rule.accept(book('s-austin'), row(UNKNOWN, 'Paris'))).toBeNull();
  });

  it('names the row’s site when the target belongs to another one', () => {
    expect(rule.accept(book('s-denver'), row('s-austin', 'Austin'))).toBe(
      "is limited to another site than Parent Site 'Austin'; pick one of site 'Austin' or one not limited to a site",
    );
    expect(rule.accept(book('s-denver'), row(null, ''))).toBe(
      'is limited to one site, but Parent Site is empty; pick one that is not limited to a site, or set Parent Site',
    );
  });
});

describe('conditional columns of the declarations', () => {
  const queue = findObject('queue')!;
  const cells = (values: Record<string, unknown>) =>
    queue.columns.map((c) => (c.name in values ? values[c.name] : undefined));

  it('apply the telephony defaults to telephony queues only', () => {
    const base = {
      Name: 'Q',
      'Service Level Threshold': 1,
      'Max Time In Queue': 1,
      'Call Distribution': [{ after: 0, teams: ['x'] }],
    };
    const telephony = settleRow(queue, cells({ ...base, 'Channel Type': 'TELEPHONY' }), {
      kind: 'create',
    });
    const chat = settleRow(queue, cells({ ...base, 'Channel Type': 'CHAT' }), { kind: 'create' });
    const field = (settled: { values: unknown[] }, column: string) =>
      settled.values[queue.columnByHeader(column)!.index];
    expect([
      telephony.problems,
      field(telephony, 'Permit Recording'),
      field(telephony, 'Record All Calls'),
    ]).toEqual([[], true, false]);
    expect([
      chat.problems,
      field(chat, 'Permit Recording'),
      field(chat, 'Record All Calls'),
      field(chat, 'Routing Type'),
    ]).toEqual([[], null, null, 'LONGEST_AVAILABLE_AGENT']);
  });

  it('let Record All Calls be TRUE only while Permit Recording is TRUE, judging a stored Permit Recording on update', () => {
    const row = cells({ 'Record All Calls': true });
    const storedByName: Record<string, unknown> = {
      Name: 'Q',
      'Channel Type': 'TELEPHONY',
      'Service Level Threshold': 1,
      'Max Time In Queue': 1,
      'Permit Recording': false,
      'Routing Type': 'LONGEST_AVAILABLE_AGENT',
      'Call Distribution': [{ after: 0, teams: ['x'] }],
    };
    const stored = queue.columns.map((c) => storedByName[c.name] ?? null);
    expect(settleRow(queue, row, { kind: 'unknown' }).problems).toEqual([]);
    expect(
      settleRow(queue, row, { kind: 'existing', values: stored }).problems.map((p) => p.code),
    ).toEqual([ErrorCode.ConflictingState]);
  });
});
