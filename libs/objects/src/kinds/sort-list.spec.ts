import { compareText, sortList } from './list.kind';

/** A small deterministic generator, so a failure names the lists it failed on. */
function* lists(): Generator<{ key: string; place: number }[]> {
  let seed = 7;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return Math.floor(seed / 65536) % n;
  };
  const words = ['Sales', 'sales', 'Support', 'b', 'B', 'a', 'Z', 'z', 'Queue 10', 'Queue 9'];
  for (let round = 0; round < 2000; round += 1) {
    const length = next(24);
    yield Array.from({ length }, (_, place) => ({ key: words[next(words.length)], place }));
  }
}

describe('sortList', () => {
  it('orders every list exactly as a stable Array.prototype.sort does, short and long', () => {
    const compare = (a: { key: string }, b: { key: string }) => compareText(a.key, b.key);
    let longer = 0;
    for (const list of lists()) {
      const expected = [...list].sort(compare);
      const sorted = sortList(list, compare);
      expect(sorted).toBe(list);
      expect(sorted).toEqual(expected);
      if (list.length > 16) longer += 1;
    }
    // Both paths ran: the insertion sort for short lists and Array.prototype.sort past 16 items.
    expect(longer).toBeGreaterThan(100);
  });

  it('keeps equal items in their written order', () => {
    const items = [
      { key: 'b', place: 0 },
      { key: 'a', place: 1 },
      { key: 'b', place: 2 },
      { key: 'a', place: 3 },
    ];
    expect(sortList(items, (x, y) => x.key.localeCompare(y.key)).map((i) => i.place)).toEqual([
      1, 3, 0, 2,
    ]);
  });
});
