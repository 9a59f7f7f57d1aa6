import { JsonArrayWriter } from './json-array-writer';

describe('JsonArrayWriter', () => {
  it('writes each array whole, and an array taken earlier stays intact while the next is written', () => {
    const writer = new JsonArrayWriter();
    expect(writer.take().toString()).toBe('[]');
    // Large enough to outgrow the first buffer, so the next array starts in a buffer of its own size.
    const items = Array.from({ length: 20_000 }, (_, i) => JSON.stringify({ i, name: `é-${i}` }));
    items.forEach((item) => writer.add(item));
    expect(writer.count).toBe(items.length);
    const first = writer.take();
    expect(writer.count).toBe(0);
    writer.add('"next"');
    writer.add('"ünïcode"');
    const second = writer.take();
    expect(JSON.parse(first.toString())).toEqual(items.map((item) => JSON.parse(item)));
    expect(JSON.parse(second.toString())).toEqual(['next', 'ünïcode']);
  });
});
