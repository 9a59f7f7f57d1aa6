import { attachment } from './download';

describe('attachment', () => {
  it('names a plain file as it is', () => {
    expect(attachment('team-errors.csv')).toBe('attachment; filename="team-errors.csv"');
  });

  it('gives any other name an ASCII fallback and its exact UTF-8 form', () => {
    expect(attachment('日本語 "a".csv')).toBe(
      `attachment; filename="___ _a_.csv"; filename*=UTF-8''%E6%97%A5%E6%9C%AC%E8%AA%9E%20%22a%22.csv`,
    );
  });
});
