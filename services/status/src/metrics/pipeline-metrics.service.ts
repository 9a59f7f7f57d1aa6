import { Injectable } from '@nestjs/common';
import { applyQueueName, INGEST_QUEUE, JOB_EVENTS_QUEUE } from '@bulkops/contracts';
import { JobStatsRepository } from '@bulkops/database';
import { OBJECT_TYPES } from '@bulkops/objects';
import { Metrics } from '@bulkops/observability';
import { QueueStats, WATCHED_QUEUE_STATES } from '@bulkops/queue';

const QUEUES = [INGEST_QUEUE, ...OBJECT_TYPES.map((d) => applyQueueName(d.type)), JOB_EVENTS_QUEUE];

/**
 * The pipeline as an operator sees it, computed from Postgres and BullMQ on each scrape of the
 * status service: jobs by status and object type, how old and how idle the active jobs are, and
 * each queue's waiting, active, delayed (retrying) and failed jobs. Every status replica reports the
 * same values; dashboards aggregate them with `max`.
 */
@Injectable()
export class PipelineMetrics {
  constructor(metrics: Metrics, jobStats: JobStatsRepository, queueStats: QueueStats) {
    metrics.gauge(
      'bulkops_jobs',
      'Jobs by status and object type',
      ['status', 'object'],
      async (gauge) => {
        const counts = await jobStats.countsByStatusAndObject();
        gauge.reset();
        for (const { status, object, count } of counts) gauge.set({ status, object }, count);
      },
    );
    const ages = () => jobStats.activeJobAges();
    metrics.gauge(
      'bulkops_oldest_active_job_age_seconds',
      'Time since the oldest active (NEW or IN_PROGRESS) job was submitted; 0 when none is active',
      [],
      async (gauge) => gauge.set((await ages()).oldestSeconds ?? 0),
    );
    metrics.gauge(
      'bulkops_active_job_idle_seconds',
      'Longest time any active job has gone without progress; 0 when none is active',
      [],
      async (gauge) => gauge.set((await ages()).longestIdleSeconds ?? 0),
    );
    metrics.gauge(
      'bulkops_queue_jobs',
      'Jobs in each BullMQ queue by state (delayed jobs on apply queues are retries in backoff)',
      ['queue', 'state'],
      async (gauge) => {
        const all = await Promise.all(
          QUEUES.map(async (q) => [q, await queueStats.counts(q)] as const),
        );
        for (const [queue, counts] of all)
          for (const state of WATCHED_QUEUE_STATES) gauge.set({ queue, state }, counts[state]);
      },
    );
  }
}
