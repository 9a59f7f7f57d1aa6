import { bundleCsvName } from './bundle-directory';

describe('bundleCsvName', () => {
  it('keeps names a bundle reads as the type', () => {
    expect(bundleCsvName('team', 'team.csv')).toBe('team.csv');
    expect(bundleCsvName('user', 'user-001.csv')).toBe('user-001.csv');
  });

  it('names other files of the type as parts of it', () => {
    expect(bundleCsvName('site', '01-site.csv')).toBe('site-01-site.csv');
    expect(bundleCsvName('team', 'north.CSV')).toBe('team-north.csv');
  });
});
