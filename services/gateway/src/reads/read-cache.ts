/** One cached answer and when it was read. */
interface Entry<V> {
  value: V;
  readAt: number;
}

/** A read in flight, and the clock reading taken when it started. */
interface Flight<V> {
  promise: Promise<V>;
  startedAt: number;
}

/** How a ReadCache is bounded. */
export interface ReadCacheLimits {
  /** How long an answer is served before it is read again, whatever was heard. */
  maxAgeMs: number;
  /** Answers kept at most; the least recently read scope goes first. */
  maxEntries: number;
}

/**
 * Answers read from Postgres, kept until they are told stale or grow old. Keys are grouped in
 * scopes (a job, an organization) so one change drops every answer that showed it.
 *
 * Correctness rests on one rule: an answer is kept only if no invalidation of its scope happened
 * after its read started. A read that began before a change and finished after it may hold the old
 * state, so it is answered to the requests waiting on it but never kept. Concurrent requests for
 * one key share one read (200 pollers of one job cost one query), but a request arriving after an
 * invalidation never joins a read that began before it.
 */
export class ReadCache<V> {
  private readonly scopes = new Map<string, Map<string, Entry<V>>>();
  private readonly flights = new Map<string, Map<string, Flight<V>>>();
  /** Logical clock: every read start and every invalidation takes the next tick. */
  private clock = 0;
  /** Tick of each scope's last invalidation; only needed while some read is in flight. */
  private readonly invalidatedAt = new Map<string, number>();
  private clearedAt = 0;
  private entryCount = 0;
  /** Reads started and not finished, shared or dropped from `flights` alike. */
  private running = 0;

  constructor(private readonly limits: ReadCacheLimits) {}

  /** The cached answer of `key`, or the answer of `read` (shared with concurrent callers). */
  async get(scope: string, key: string, read: () => Promise<V>, now = Date.now()): Promise<V> {
    const entry = this.scopes.get(scope)?.get(key);
    if (entry && now - entry.readAt < this.limits.maxAgeMs) {
      this.touch(scope);
      return entry.value;
    }
    const flight = this.flights.get(scope)?.get(key);
    if (flight) return flight.promise;
    return this.fly(scope, key, read, now);
  }

  /** Everything cached or being read in `scope` is stale: the next request reads again. */
  invalidate(scope: string): void {
    this.invalidatedAt.set(scope, ++this.clock);
    const entries = this.scopes.get(scope);
    if (entries) this.entryCount -= entries.size;
    this.scopes.delete(scope);
    this.flights.delete(scope); // running reads finish for their callers, but are not kept
  }

  /** Everything is stale (changes may have gone unheard). */
  clear(): void {
    this.clearedAt = ++this.clock;
    this.scopes.clear();
    this.flights.clear();
    this.entryCount = 0;
  }

  /** Answers currently kept. */
  get size(): number {
    return this.entryCount;
  }

  private fly(scope: string, key: string, read: () => Promise<V>, now: number): Promise<V> {
    const startedAt = ++this.clock;
    const promise = (async () => read())().then(
      (value) => {
        this.land(scope, key, promise, () => this.keep(scope, key, value, startedAt, now));
        return value;
      },
      (error: unknown) => {
        this.land(scope, key, promise);
        throw error;
      },
    );
    const flights = this.flights.get(scope) ?? new Map<string, Flight<V>>();
    flights.set(key, { promise, startedAt });
    this.flights.set(scope, flights);
    this.running += 1;
    return promise;
  }

  /** A read finished: it leaves the flights (if still there) and, when given, is kept. */
  private land(scope: string, key: string, promise: Promise<V>, keep?: () => void): void {
    const flights = this.flights.get(scope);
    if (flights?.get(key)?.promise === promise) {
      flights.delete(key);
      if (flights.size === 0) this.flights.delete(scope);
    }
    this.running -= 1;
    keep?.();
    // Invalidation ticks only matter to reads that started before them; with none running, none.
    if (this.running === 0) this.invalidatedAt.clear();
  }

  private keep(scope: string, key: string, value: V, startedAt: number, now: number): void {
    if (this.clearedAt > startedAt || (this.invalidatedAt.get(scope) ?? 0) > startedAt) return;
    const entries = this.scopes.get(scope) ?? new Map<string, Entry<V>>();
    if (!entries.has(key)) this.entryCount += 1;
    entries.set(key, { value, readAt: now });
    this.scopes.delete(scope);
    this.scopes.set(scope, entries); // most recently used last
    this.evict();
  }

  private touch(scope: string): void {
    const entries = this.scopes.get(scope)!;
    this.scopes.delete(scope);
    this.scopes.set(scope, entries);
  }

  private evict(): void {
    for (const [scope, entries] of this.scopes) {
      if (this.entryCount <= this.limits.maxEntries) return;
      this.scopes.delete(scope);
      this.entryCount -= entries.size;
    }
  }
}
