import type { DefaultJobOptions } from 'bullmq';

/**
 * Job options of every queue unless a queue says why not. Handlers are idempotent, so retries are
 * safe; backoff gives Postgres or Redis time to come back. Completed jobs expire quickly (Postgres
 * holds the record that matters); failed ones stay a week for inspection in /admin/queues.
 */
export const DEFAULT_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};
