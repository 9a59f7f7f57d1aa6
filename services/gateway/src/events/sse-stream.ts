import type { Response } from 'express';

/** How long a client waits before reconnecting after the stream ends or breaks (SSE `retry:`). */
const RECONNECT_MS = 2000;

/**
 * One Server-Sent Events response: headers for no buffering on the way, events with an `id:`, and
 * comment heartbeats so proxies keep the connection open and a vanished client shows up as a
 * failed write.
 */
export class SseStream {
  private readonly heartbeat: NodeJS.Timeout;
  private readonly closeHandlers: (() => void)[] = [];
  private closed = false;

  constructor(
    private readonly response: Response,
    heartbeatMs: number,
  ) {
    response.status(200);
    response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    response.setHeader('Cache-Control', 'no-cache, no-transform');
    response.setHeader('Connection', 'keep-alive');
    // nginx and similar proxies buffer responses unless told not to.
    response.setHeader('X-Accel-Buffering', 'no');
    response.flushHeaders();
    response.write(`retry: ${RECONNECT_MS}\n\n`);
    this.heartbeat = setInterval(() => this.write(': heartbeat\n\n'), heartbeatMs);
    response.on('close', () => this.close());
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Writes one event. `data` is JSON on a single line, as SSE requires. */
  send(event: string, id: number, data: unknown): void {
    this.write(`id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /** Runs once when the stream ends, whoever ended it. */
  onClose(handler: () => void): void {
    if (this.closed) handler();
    else this.closeHandlers.push(handler);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    if (!this.response.writableEnded) this.response.end();
    for (const handler of this.closeHandlers.splice(0)) handler();
  }

  private write(chunk: string): void {
    if (this.closed) return;
    this.response.write(chunk);
  }
}
