import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { JobView } from '@bulkops/contracts';
import { GatewayEnv } from '../gateway.env';
import { JobChangeListener, type JobChange } from '../events/job-change-listener';
import { ReadCache } from './read-cache';

/** Job answers kept at most by one gateway: a few hundred bytes to a few KB each. */
const MAX_ENTRIES = 5000;

/**
 * The job answers of `GET /v1/jobs`, `/v1/jobs/active` and `/v1/jobs/{id}`, kept in memory while
 * Postgres' change feed is heard. Dashboards and scripts poll these routes many times a second
 * while a long job runs, which is exactly when Postgres is busiest; answering them from memory
 * keeps the answer fast and the database's CPU for the import.
 *
 * Staleness is bounded twice: a job's answers (and its organization's lists) are dropped when its
 * change notification arrives — the same notification the SSE streams use, sent by the committing
 * transaction — and every answer is read again after GATEWAY_READ_CACHE_MS anyway, which also
 * covers what the feed does not announce (a running job's error summary). While the listener is
 * disconnected nothing is cached, and everything is dropped when it reconnects.
 */
@Injectable()
export class JobReadCache implements OnModuleInit, OnModuleDestroy {
  private readonly views: ReadCache<JobView | null>;
  private readonly lists: ReadCache<unknown>;
  private unsubscribe: (() => void) | null = null;
  private readonly maxAgeMs: number;

  constructor(
    private readonly listener: JobChangeListener,
    env: GatewayEnv,
  ) {
    this.maxAgeMs = env.gatewayReadCacheMs;
    const limits = { maxAgeMs: this.maxAgeMs, maxEntries: MAX_ENTRIES };
    this.views = new ReadCache(limits);
    this.lists = new ReadCache(limits);
  }

  onModuleInit(): void {
    this.unsubscribe = this.listener.subscribeAll({
      changed: (change) => this.changed(change),
      resync: () => {
        this.views.clear();
        this.lists.clear();
      },
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  /** One job's answer (null: not the organization's). */
  view(orgId: string, jobId: string, read: () => Promise<JobView | null>): Promise<JobView | null> {
    if (!this.enabled) return read();
    return this.views.get(jobId, orgId, read);
  }

  /** An answer about the organization's jobs as a whole (a page of the list, the active job). */
  organizationRead<T>(orgId: string, key: string, read: () => Promise<T>): Promise<T> {
    if (!this.enabled) return read();
    return this.lists.get(orgId, key, read) as Promise<T>;
  }

  /** A job changed (heard from Postgres, or written by this gateway): its answers are stale. */
  changed(change: Pick<JobChange, 'orgId' | 'jobId'>): void {
    this.views.invalidate(change.jobId);
    this.lists.invalidate(change.orgId);
  }

  private get enabled(): boolean {
    return this.maxAgeMs > 0 && this.listener.listening;
  }
}
