import { ReadCache } from './read-cache';

/** A read whose answer the test releases when it wants. */
function deferred<V>() {
  let resolve!: (value: V) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<V>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** A read that answers `value` at once. */
const answer =
  <V>(value: V) =>
  (): Promise<V> =>
    Promise.resolve(value);

describe('ReadCache', () => {
  const limits = { maxAgeMs: 1000, maxEntries: 100 };

  it('answers a kept read without reading again until it is invalidated', async () => {
    const cache = new ReadCache<number>(limits);
    let reads = 0;
    const read = () => Promise.resolve(++reads);
    expect(await cache.get('job-1', 'view', read)).toBe(1);
    expect(await cache.get('job-1', 'view', read)).toBe(1);
    cache.invalidate('job-1');
    expect(await cache.get('job-1', 'view', read)).toBe(2);
    expect(reads).toBe(2);
  });

  it('reads again once the answer is older than maxAgeMs', async () => {
    const cache = new ReadCache<number>(limits);
    let reads = 0;
    const read = () => Promise.resolve(++reads);
    await cache.get('s', 'k', read, 10_000);
    expect(await cache.get('s', 'k', read, 10_999)).toBe(1);
    expect(await cache.get('s', 'k', read, 11_000)).toBe(2);
  });

  it('shares one read between concurrent requests of the same key', async () => {
    const cache = new ReadCache<string>(limits);
    const pending = deferred<string>();
    let reads = 0;
    const read = () => (reads++, pending.promise);
    const answers = Array.from({ length: 50 }, () => cache.get('s', 'k', read));
    pending.resolve('answer');
    expect(await Promise.all(answers)).toEqual(Array(50).fill('answer'));
    expect(reads).toBe(1);
  });

  it('never keeps a read that an invalidation overtook, and never lets later requests join it', async () => {
    const cache = new ReadCache<string>(limits);
    const old = deferred<string>();
    const first = cache.get('job-1', 'view', () => old.promise);
    cache.invalidate('job-1'); // the job changed while the first read was running
    let reads = 0;
    const second = cache.get('job-1', 'view', () => (reads++, Promise.resolve('new')));
    old.resolve('old');
    expect(await first).toBe('old'); // its own caller gets what it read
    expect(await second).toBe('new'); // a request after the change does not
    expect(await cache.get('job-1', 'view', answer('unused'))).toBe('new');
    expect(reads).toBe(1);
  });

  it('does not keep a read overtaken by an invalidation even when it finishes last', async () => {
    const cache = new ReadCache<string>(limits);
    const old = deferred<string>();
    const first = cache.get('s', 'k', () => old.promise);
    cache.invalidate('s');
    await cache.get('s', 'k', answer('fresh')); // finishes first, kept
    old.resolve('stale'); // finishes last: must not replace the fresh answer
    await first;
    expect(await cache.get('s', 'k', answer('unused'))).toBe('fresh');
  });

  it('does not keep reads that clear() overtook', async () => {
    const cache = new ReadCache<string>(limits);
    const old = deferred<string>();
    const first = cache.get('s', 'k', () => old.promise);
    cache.clear();
    old.resolve('old');
    await first;
    expect(cache.size).toBe(0);
  });

  it('keeps nothing from a failed read and hands the error to every waiter', async () => {
    const cache = new ReadCache<string>(limits);
    const failing = deferred<string>();
    const a = cache.get('s', 'k', () => failing.promise);
    const b = cache.get('s', 'k', () => failing.promise);
    failing.reject(new Error('connection refused'));
    await expect(a).rejects.toThrow('connection refused');
    await expect(b).rejects.toThrow('connection refused');
    expect(await cache.get('s', 'k', answer('recovered'))).toBe('recovered');
  });

  it('turns a read that throws synchronously into a rejection', async () => {
    const cache = new ReadCache<string>(limits);
    const read = (): Promise<string> => {
      throw new Error('bad query');
    };
    await expect(cache.get('s', 'k', read)).rejects.toThrow('bad query');
  });

  it('drops the least recently used scopes beyond maxEntries', async () => {
    const cache = new ReadCache<string>({ maxAgeMs: 1000, maxEntries: 2 });
    await cache.get('a', 'k', answer('a'));
    await cache.get('b', 'k', answer('b'));
    await cache.get('a', 'k', answer('unused')); // a is now the most recent
    await cache.get('c', 'k', answer('c'));
    expect(cache.size).toBe(2);
    expect(await cache.get('a', 'k', answer('a again'))).toBe('a');
    expect(await cache.get('b', 'k', answer('b again'))).toBe('b again');
  });
});
