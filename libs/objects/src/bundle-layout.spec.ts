import { bundleEntryOf, bundlePhase } from './bundle-layout';
import { bundleTargetOf } from './bundle-target';
import { OBJECT_TYPES } from './registry';
import { checkRow } from './row-check';
import { team } from './types/team/team.object';

describe('bundleEntryOf', () => {
  it('reads {type}.csv and {type}-{part}.csv as files of that type, in any case', () => {
    expect(bundleEntryOf('site.csv')).toMatchObject({ kind: 'csv', declaration: { type: 'site' } });
    expect(bundleEntryOf('Team-001.CSV')).toMatchObject({
      kind: 'csv',
      declaration: { type: 'team' },
    });
    expect(bundleEntryOf('user-north.csv')).toMatchObject({ declaration: { type: 'user' } });
  });

  it('takes the longest type that fits a part name', () => {
    expect(bundleEntryOf('outdial-queue-001.csv')).toMatchObject({
      declaration: { type: 'outdial-queue' },
    });
    expect(bundleEntryOf('outdial-entry-point.csv')).toMatchObject({
      declaration: { type: 'outdial-entry-point' },
    });
  });

  it('reads the files of a media folder with their names inside it', () => {
    expect(bundleEntryOf('audio-file/hello.wav')).toMatchObject({
      kind: 'media',
      declaration: { type: 'audio-file' },
      inner: 'hello.wav',
    });
    expect(bundleEntryOf('audio-file/audio-files.csv')).toMatchObject({
      kind: 'media',
      inner: 'audio-files.csv',
    });
  });

  it('refuses other folders, nested folders, unknown types and media files outside their folder', () => {
    expect(bundleEntryOf('extra/site.csv')).toMatchObject({
      kind: 'refused',
      reason: expect.stringContaining('only the folder audio-file/'),
    });
    expect(bundleEntryOf('audio-file/old/hello.wav')).toMatchObject({ kind: 'refused' });
    expect(bundleEntryOf('sites.csv')).toMatchObject({
      kind: 'refused',
      reason: expect.stringContaining('{type}.csv or {type}-{part}.csv'),
    });
    expect(bundleEntryOf('readme.txt')).toMatchObject({ kind: 'refused' });
    expect(bundleEntryOf('audio-file.csv')).toMatchObject({
      kind: 'refused',
      reason: expect.stringContaining('folder audio-file/'),
    });
  });
});

describe('bundlePhase', () => {
  const site = OBJECT_TYPES.find((d) => d.type === 'site')!;
  const user = OBJECT_TYPES.find((d) => d.type === 'user')!;

  it('applies creates and updates in dependency order', () => {
    const phases = OBJECT_TYPES.map((d) => bundlePhase(d, 'upsert'));
    expect(phases).toEqual([...phases].sort((a, b) => a - b));
    for (const declaration of OBJECT_TYPES) {
      for (const target of declaration.dependsOn) {
        const targetDeclaration = OBJECT_TYPES.find((d) => d.type === target)!;
        expect(bundlePhase(targetDeclaration, 'upsert')).toBeLessThan(
          bundlePhase(declaration, 'upsert'),
        );
      }
    }
  });

  it('applies deletes after every create, in reverse dependency order', () => {
    const lastUpsert = Math.max(...OBJECT_TYPES.map((d) => bundlePhase(d, 'upsert')));
    expect(bundlePhase(user, 'delete')).toBeGreaterThan(lastUpsert);
    expect(bundlePhase(site, 'delete')).toBeGreaterThan(bundlePhase(user, 'delete'));
    for (const declaration of OBJECT_TYPES) {
      for (const target of declaration.dependsOn) {
        const targetDeclaration = OBJECT_TYPES.find((d) => d.type === target)!;
        expect(bundlePhase(targetDeclaration, 'delete')).toBeGreaterThan(
          bundlePhase(declaration, 'delete'),
        );
      }
    }
  });
});

describe('bundleTargetOf', () => {
  it('offers a create row with its written key, leaf and own values, without references', () => {
    const cells = ['Sales', ' Austin ', 'AGENT', null, null, null, null, null, null];
    const target = bundleTargetOf(team, cells, checkRow(team, cells), 'team.csv row 2');
    expect(target).toMatchObject({
      keyNorm: 'austin/sales',
      leafNorm: 'sales',
      keyDisplay: 'Austin/Sales',
      place: 'team.csv row 2',
    });
    expect(target!.values).toMatchObject({ [team.column('Type').field]: 'AGENT' });
    expect(Object.keys(target!.values)).not.toContain(team.column('Site').field);
  });

  it('offers nothing for a DELETE row', () => {
    const cells = ['Sales', 'Austin', null, null, null, null, null, null, 'DELETE'];
    expect(bundleTargetOf(team, cells, checkRow(team, cells), 'team.csv row 3')).toBeNull();
  });
});
