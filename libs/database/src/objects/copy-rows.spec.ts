import { copyField } from './copy-rows';

describe('copyField', () => {
  it('writes NULL for a missing value of any type', () => {
    expect(copyField(null, 'text')).toBe('\\N');
    expect(copyField(undefined, 'uuid[]')).toBe('\\N');
  });

  it('escapes what COPY text format reserves, and nothing else', () => {
    expect(copyField('a\tb\nc\rd\\e', 'text')).toBe('a\\tb\\nc\\rd\\\\e');
    expect(copyField('Sales, "East"', 'text')).toBe('Sales, "East"');
    expect(copyField('\\N', 'text')).toBe('\\\\N');
  });

  it('quotes every array element, so commas, braces, quotes and NULL stay data', () => {
    expect(copyField(['a,b', '{c}', 'say "hi"', 'NULL', 'x\\y'], 'text[]')).toBe(
      '{"a,b","{c}","say \\\\"hi\\\\"","NULL","x\\\\\\\\y"}',
    );
    expect(copyField([], 'uuid[]')).toBe('{}');
  });

  it('writes booleans, integers and JSON', () => {
    expect(copyField(true, 'boolean')).toBe('t');
    expect(copyField(false, 'boolean')).toBe('f');
    expect(copyField(42, 'integer')).toBe('42');
    expect(copyField({ skills: [{ name: 'tab\there', level: 3 }] }, 'jsonb')).toBe(
      '{"skills":[{"name":"tab\\\\there","level":3}]}',
    );
  });
});
