import { Controller, Get, Header, Injectable } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The service's Prometheus registry; features add `bulkops_*` metrics through it. Every series
 * carries a `service` label, so dashboards tell gateway, ingest, worker and status apart whatever
 * the scrape configuration calls them.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  constructor(service?: string) {
    if (service) this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
  }

  counter(name: string, help: string, labelNames: readonly string[] = []): Counter {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  /**
   * A gauge; with `collect`, its value is computed on each scrape (e.g. from Postgres or BullMQ)
   * instead of being kept up to date by the code.
   */
  gauge(
    name: string,
    help: string,
    labelNames: readonly string[] = [],
    collect?: (gauge: Gauge) => Promise<void> | void,
  ): Gauge {
    return new Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      ...(collect
        ? {
            async collect(this: Gauge) {
              await collect(this);
            },
          }
        : {}),
    });
  }

  histogram(
    name: string,
    help: string,
    labelNames: readonly string[] = [],
    buckets?: number[],
  ): Histogram {
    return new Histogram({ name, help, labelNames, buckets, registers: [this.registry] });
  }
}

/** `GET /metrics` in Prometheus text format. */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
