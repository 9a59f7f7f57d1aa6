import type { NameLookup } from './kinds/kind';
import { canonicalValues, exportCells, recordView, referencedIds } from './record-format';
import { getObject } from './registry';

const NAMES: Record<string, Record<string, { key: string; leaf: string }>> = {
  site: { 's-austin': { key: 'Austin', leaf: 'Austin' } },
  'skill-profile': { 'p-gold': { key: 'Gold', leaf: 'Gold' } },
  'skill-definition': {
    'd-english': { key: 'English', leaf: 'English' },
    'd-language': { key: 'Language', leaf: 'Language' },
  },
};
const names: NameLookup = (target, id, form) => NAMES[target][id][form === 'leaf' ? 'leaf' : 'key'];

describe('record formatting', () => {
  const team = getObject('team');
  const capacityTeam = ['Overflow', 's-austin', 'CAPACITY', null, null, '+15125550100', 25, null];
  const agentTeam = [
    'Sales',
    's-austin',
    'AGENT',
    'MMP Sales',
    'p-gold',
    null,
    null,
    'Global Layout',
  ];

  it('writes each column canonically, references by name, empty fields empty, Action empty and last', () => {
    expect(exportCells(team, capacityTeam, names)).toEqual([
      'Overflow',
      'Austin',
      'CAPACITY',
      '',
      '',
      '+15125550100',
      '25',
      '',
      '',
    ]);
    expect(exportCells(team, agentTeam, names)).toEqual([
      'Sales',
      'Austin',
      'AGENT',
      'MMP Sales',
      'Gold',
      '',
      '',
      'Global Layout',
      '',
    ]);
    expect(exportCells(team, agentTeam, names)).toHaveLength(team.header.length);
  });

  it('answers a record as canonical values by column name, null where empty', () => {
    expect(recordView(team, capacityTeam, names)).toEqual({
      Name: 'Overflow',
      Site: 'Austin',
      Type: 'CAPACITY',
      'Multimedia Profile': null,
      'Skill Profile': null,
      DN: '+15125550100',
      Capacity: '25',
      'Desktop Layout': null,
    });
  });

  it('sorts granted skills by skill name then value, writes booleans and lists canonically', () => {
    const profile = getObject('skill-profile');
    const grants = [
      { id: 'd-language', value: 'German' },
      { id: 'd-english', value: '8' },
      { id: 'd-language', value: 'French' },
    ];
    expect(canonicalValues(profile, ['Gold', null, grants], names)).toEqual([
      'Gold',
      null,
      'English:8|Language:French|Language:German',
    ]);
    const definition = getObject('skill-definition');
    expect(
      exportCells(definition, ['Language', 'Spoken', 20, 'ENUM', ['English', 'French']], names),
    ).toEqual(['Language', 'Spoken', '20', 'ENUM', 'English|French', '']);
  });

  it('treats an empty list as an empty field', () => {
    const definition = getObject('skill-definition');
    expect(
      canonicalValues(definition, ['English', null, 30, 'PROFICIENCY', []], names).at(-1),
    ).toBeNull();
  });

  it('finds every id a record references, by target, whatever shape the kind stores', () => {
    const profile = getObject('skill-profile');
    const found = referencedIds(profile, [
      'Gold',
      null,
      [
        { id: 'd-english', value: '8' },
        { id: 'd-language', value: 'French' },
      ],
    ]);
    referencedIds(team, agentTeam, found);
    referencedIds(team, capacityTeam, found);
    expect(
      Object.fromEntries([...found].map(([target, ids]) => [target, [...ids].sort()])),
    ).toEqual({
      'skill-definition': ['d-english', 'd-language'],
      site: ['s-austin'],
      'skill-profile': ['p-gold'],
    });
  });
});
