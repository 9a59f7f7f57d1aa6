import { waitFor } from './wait-for';

/** One Server-Sent Event as a client sees it. */
export interface StreamEvent<T = any> {
  id: string | null;
  event: string;
  data: T;
}

/**
 * A Server-Sent Events client for tests, reading with fetch (as the dashboard does): it keeps every
 * event and comment, and knows when the server ended the stream.
 */
export class EventStreamClient {
  readonly events: StreamEvent[] = [];
  readonly comments: string[] = [];
  ended = false;
  private readonly done: Promise<void>;

  private constructor(
    readonly status: number,
    readonly headers: Headers,
    private readonly body: ReadableStream<Uint8Array> | null,
    private readonly controller: AbortController,
  ) {
    this.done = this.read();
  }

  /** Opens a stream; answers once the status line and headers arrived (read `status` first). */
  static async open(
    url: string,
    token: string | null,
    lastEventId?: string | null,
  ): Promise<EventStreamClient> {
    const controller = new AbortController();
    const response = await fetch(url, {
      headers: {
        accept: 'text/event-stream',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
      },
      signal: controller.signal,
    });
    return new EventStreamClient(response.status, response.headers, response.body, controller);
  }

  /** The id of the last event that carried one. */
  get lastEventId(): string | null {
    return this.events.filter((e) => e.id !== null).at(-1)?.id ?? null;
  }

  /** Waits for the first event (from index `from`) that matches. */
  async next<T = any>(
    what: string,
    match: (event: StreamEvent<T>) => boolean,
    timeoutMs = 60_000,
    from = 0,
  ): Promise<StreamEvent<T>> {
    return waitFor(
      what,
      () => {
        const found = (this.events.slice(from) as StreamEvent<T>[]).find(match);
        if (found) return found;
        if (this.ended) throw new Error(`the stream ended before ${what}`);
        return undefined;
      },
      timeoutMs,
      20,
    );
  }

  /** Waits until the server ends the stream. */
  async untilEnded(timeoutMs = 60_000): Promise<void> {
    await waitFor('the server to end the stream', () => this.ended, timeoutMs, 20);
  }

  /** Drops the connection from the client's side, as a lost network would. */
  async close(): Promise<void> {
    this.controller.abort();
    await this.done;
  }

  private async read(): Promise<void> {
    if (!this.body) {
      this.ended = true;
      return;
    }
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of this.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let cut: number;
        while ((cut = buffer.search(/\r?\n\r?\n/)) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut).replace(/^\r?\n\r?\n/, '');
          this.parse(block);
        }
      }
      this.ended = true;
    } catch {
      // aborted by close(): not an end the server chose
    }
  }

  private parse(block: string): void {
    let id: string | null = null;
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
      else if (line.startsWith('id:')) id = line.slice(3).trim();
      else if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (data.length === 0) return;
    const text = data.join('\n');
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: kept as text
    }
    this.events.push({ id, event, data: parsed });
  }
}
