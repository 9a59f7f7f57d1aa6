import { Injectable } from '@nestjs/common';
import { Metrics } from '@bulkops/observability';

/** What status did to recover or end jobs: `bulkops_reaper_actions_total{action}`. */
@Injectable()
export class RecoveryMetrics {
  readonly actions = this.metrics.counter(
    'bulkops_reaper_actions_total',
    'What status did to active jobs: failed_stalled (no progress for STATUS_STUCK_AFTER_MS, nothing applied), settled_stalled (the same after some rows were applied: the rest became row errors) or resent (a chunk or upload whose delivery was older than STATUS_RECOVER_AFTER_MS, sent again as a new queue job or found still queued)',
    ['action'],
  );

  constructor(private readonly metrics: Metrics) {}
}
