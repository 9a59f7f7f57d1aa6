import { Injectable } from '@nestjs/common';
import { Metrics } from '@bulkops/observability';

/**
 * Counts the export downloads this gateway is streaming, by what they export (an object type, or
 * `bundle` for the organization export), as the gauge `bulkops_export_connections`.
 */
@Injectable()
export class OpenExports {
  private readonly gauge = this.metrics.gauge(
    'bulkops_export_connections',
    'Export downloads this gateway is streaming right now',
    ['object'],
  );

  constructor(private readonly metrics: Metrics) {}

  /** Runs `stream` counted as an open export of `object`. */
  async track(object: string, stream: () => Promise<void>): Promise<void> {
    this.gauge.inc({ object });
    try {
      await stream();
    } finally {
      this.gauge.dec({ object });
    }
  }
}
