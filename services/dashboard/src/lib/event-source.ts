import { failure, type ApiError } from './api';
import { session } from './session';
import { SseParser, type ServerEvent } from '@bulkops/contracts';

/** What a followed stream reports. */
export interface StreamHandlers {
  event(event: ServerEvent): void;
  /** Connected (again): a good moment to re-read what a list shows. */
  open?(): void;
  /** A refusal that retrying will not fix (404, 403); the stream stops. */
  error?(error: ApiError): void;
  /** The connection state changed (for a "live" indicator). */
  live?(connected: boolean): void;
}

const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 15_000;

/**
 * Follows a Server-Sent Events route with fetch and a stream reader, because EventSource cannot
 * send the Authorization header and the token never goes into a URL. Reconnects with backoff and
 * `Last-Event-ID`, so nothing is missed; stops when `stop` answers true for an event (the job
 * stream's `final`), on a refusal, or when the signal aborts.
 */
export function followEvents(
  path: string,
  handlers: StreamHandlers,
  signal: AbortSignal,
  stop: (event: ServerEvent) => boolean = () => false,
): void {
  let lastEventId: string | null = null;
  let failures = 0;
  const run = async (): Promise<void> => {
    while (!signal.aborted) {
      const parser = new SseParser();
      let finished = false;
      try {
        const headers = new Headers({ Accept: 'text/event-stream' });
        const token = session.token();
        if (token) headers.set('Authorization', `Bearer ${token}`);
        if (lastEventId) headers.set('Last-Event-ID', lastEventId);
        const response = await fetch(path, { headers, signal, cache: 'no-store' });
        if (!response.ok || !response.body) {
          const error = await failure(response);
          if (response.status !== 503) {
            handlers.error?.(error);
            return;
          }
          throw error;
        }
        failures = 0;
        handlers.live?.(true);
        handlers.open?.();
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          for (const event of parser.push(value)) {
            if (event.id !== null) lastEventId = event.id;
            handlers.event(event);
            if (stop(event)) finished = true;
          }
          if (finished) {
            await reader.cancel();
            break;
          }
        }
      } catch {
        // dropped or refused for now: retried below
      }
      handlers.live?.(false);
      if (finished || signal.aborted) return;
      const delay = Math.min(RETRY_MAX_MS, (parser.retryMs ?? RETRY_MIN_MS) * 2 ** failures);
      failures += 1;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  };
  void run();
}
