import { parse, stringify, validate, version } from 'uuid';
import { timeOrderedId } from './time-ordered-id';

describe('timeOrderedId', () => {
  it('makes version 7 UUIDs that sort in the order they were made, across refills of its random bytes', () => {
    const ids = Array.from({ length: 5000 }, () => timeOrderedId());
    for (const id of ids) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('carries the current millisecond in its first 48 bits', () => {
    const before = Date.now();
    const id = timeOrderedId();
    const ms = parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(Date.now() + 1);
  });

  it('writes the text uuid writes for its bytes', () => {
    for (let i = 0; i < 3000; i += 1) {
      const id = timeOrderedId();
      expect(validate(id)).toBe(true);
      expect(version(id)).toBe(7);
      expect(stringify(parse(id))).toBe(id);
    }
  });
});
