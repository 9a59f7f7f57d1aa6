import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import type { Gauge } from 'prom-client';
import { BulkopsError, ErrorCode } from '@bulkops/contracts';
import { Metrics } from '@bulkops/observability';
import { GatewayEnv } from '../gateway.env';
import type { SseStream } from './sse-stream';

/** Which route a stream serves, as the gauge labels it. */
export type StreamKind = 'job' | 'organization';

/**
 * Bounds the event streams one gateway holds open (GATEWAY_MAX_EVENT_STREAMS; past it 503,
 * retryable) and publishes their number as `bulkops_sse_connections`. At shutdown it ends every
 * stream, so the process does not wait for clients that never hang up; they reconnect elsewhere
 * with Last-Event-ID.
 */
@Injectable()
export class SseConnections implements BeforeApplicationShutdown {
  private readonly open = new Map<SseStream, StreamKind>();
  private readonly gauge: Gauge;

  constructor(
    private readonly env: GatewayEnv,
    metrics: Metrics,
  ) {
    this.gauge = metrics.gauge(
      'bulkops_sse_connections',
      'Server-Sent Event streams this gateway holds open',
      ['stream'],
    );
    for (const kind of ['job', 'organization'] satisfies StreamKind[])
      this.gauge.set({ stream: kind }, 0);
  }

  /** Refuses with SERVICE_UNAVAILABLE when the gateway is full; call before writing any header. */
  checkCapacity(): void {
    const limit = this.env.gatewayMaxEventStreams;
    if (this.open.size >= limit) {
      throw new BulkopsError(
        ErrorCode.ServiceUnavailable,
        `This gateway already serves ${limit} event streams; reconnect in a few seconds (another replica may have room).`,
        {},
        true,
      );
    }
  }

  /** Counts a stream until it closes. */
  add(stream: SseStream, kind: StreamKind): void {
    this.open.set(stream, kind);
    this.gauge.inc({ stream: kind });
    stream.onClose(() => {
      if (this.open.delete(stream)) this.gauge.dec({ stream: kind });
    });
  }

  beforeApplicationShutdown(): void {
    for (const stream of [...this.open.keys()]) stream.close();
  }
}
