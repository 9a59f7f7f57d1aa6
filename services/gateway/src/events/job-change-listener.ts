import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Client } from 'pg';
import { DatabaseEnv } from '@bulkops/config';

/** The channel the `job_changed` trigger notifies (migration AddJobChangeFeed). */
export const JOB_CHANGED_CHANNEL = 'bulkops_job_changed';

/** The channel a revoked token's hash is sent on (migration AddTokenRevokedNotification). */
export const TOKEN_REVOKED_CHANNEL = 'bulkops_token_revoked';

/** One committed change of a job, as its notification names it. */
export interface JobChange {
  orgId: string;
  jobId: string;
  seq: number;
}

/** What an event stream hears from the listener. */
export interface JobChangeSubscriber {
  /** A job of the subscriber's organization changed (a hint: re-read Postgres for the state). */
  changed(change: JobChange): void;
  /** The listener was disconnected and is back: notifications may have been lost, re-read. */
  resync(): void;
}

const BACKOFF_MIN_MS = 250;
const BACKOFF_MAX_MS = 10_000;

/** `orgId,jobId,seq` → a change, or null for anything else. */
export function parseJobChange(payload: string | undefined): JobChange | null {
  const [orgId, jobId, seq] = (payload ?? '').split(',');
  const number = Number(seq);
  return orgId && jobId && Number.isSafeInteger(number) ? { orgId, jobId, seq: number } : null;
}

/**
 * The gateway's one `LISTEN bulkops_job_changed` connection, fanned out to its event streams by
 * organization and to the read caches (which also hear `bulkops_token_revoked` on it). Postgres sends a notification when the transaction that changed a job commits, from
 * whichever service wrote it, so every replica hears every change without a broker of its own. A
 * lost connection is re-opened with backoff, and then every subscriber re-reads Postgres, because
 * notifications sent while nobody listened are gone.
 */
@Injectable()
export class JobChangeListener implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(JobChangeListener.name);
  private readonly subscribers = new Map<string, Set<JobChangeSubscriber>>();
  /** Subscribers to every organization's changes (the read cache). */
  private readonly everyone = new Set<JobChangeSubscriber>();
  /** Subscribers to token revocations, told the hash of each revoked token. */
  private readonly revocations = new Set<{ revoked(tokenHash: string): void; resync(): void }>();
  private client: Client | null = null;
  private connectedOnce = false;
  private failures = 0;
  private retry: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly env: DatabaseEnv) {}

  async onModuleInit(): Promise<void> {
    await this.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  /** Whether notifications are being received right now. */
  get listening(): boolean {
    return this.client !== null;
  }

  /** Hears the changes of one organization's jobs until the answer is called. */
  subscribe(orgId: string, subscriber: JobChangeSubscriber): () => void {
    const set = this.subscribers.get(orgId) ?? new Set();
    set.add(subscriber);
    this.subscribers.set(orgId, set);
    return () => {
      set.delete(subscriber);
      if (set.size === 0 && this.subscribers.get(orgId) === set) this.subscribers.delete(orgId);
    };
  }

  /**
   * Hears the changes of every organization's jobs, and is told to re-read (`resync`) whenever
   * notifications may have been missed: when the connection is lost, not only when it is back.
   */
  subscribeAll(subscriber: JobChangeSubscriber): () => void {
    this.everyone.add(subscriber);
    return () => this.everyone.delete(subscriber);
  }

  /** Hears every token revocation (and `resync` whenever some may have been missed). */
  subscribeRevocations(subscriber: {
    revoked(tokenHash: string): void;
    resync(): void;
  }): () => void {
    this.revocations.add(subscriber);
    return () => this.revocations.delete(subscriber);
  }

  private async connect(): Promise<void> {
    const client = new Client({
      connectionString: this.env.databaseUrl,
      application_name: 'bulkops-gateway-listen',
      keepAlive: true,
    });
    client.on('notification', (message) =>
      message.channel === TOKEN_REVOKED_CHANNEL
        ? this.revoked(message.payload)
        : this.dispatch(message.payload),
    );
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${JOB_CHANGED_CHANNEL}; LISTEN ${TOKEN_REVOKED_CHANNEL}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      this.scheduleReconnect(error);
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.failures = 0;
    this.resyncEveryone();
    if (this.connectedOnce) {
      this.logger.log('listening for job changes again; event streams re-read what they missed');
      for (const set of this.subscribers.values()) for (const s of [...set]) s.resync();
    }
    this.connectedOnce = true;
  }

  private lost(client: Client, error?: Error): void {
    if (this.client !== client) return;
    this.client = null;
    this.resyncEveryone();
    client.end().catch(() => undefined);
    this.scheduleReconnect(error ?? new Error('connection ended'));
  }

  private scheduleReconnect(error: unknown): void {
    if (this.stopped || this.retry) return;
    const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** this.failures);
    this.failures += 1;
    this.logger.warn(
      { err: error, retryInMs: delay },
      'the job-change listener lost Postgres; reconnecting',
    );
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.connect();
    }, delay);
  }

  /** Caches of everything: whatever they hold may be stale now. */
  private resyncEveryone(): void {
    for (const s of [...this.everyone, ...this.revocations]) s.resync();
  }

  private revoked(tokenHash: string | undefined): void {
    if (tokenHash) for (const s of [...this.revocations]) s.revoked(tokenHash);
  }

  private dispatch(payload: string | undefined): void {
    const change = parseJobChange(payload);
    if (!change) return;
    for (const subscriber of [...this.everyone]) subscriber.changed(change);
    for (const subscriber of [...(this.subscribers.get(change.orgId) ?? [])])
      subscriber.changed(change);
  }
}
