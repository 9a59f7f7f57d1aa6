/**
 * Queue and job names. Queue names become Redis keys: renaming one strands its jobs, so they are
 * treated like a public API.
 */
export const INGEST_QUEUE = 'ingest';
export const JOB_EVENTS_QUEUE = 'job-events';

/** One apply queue per object type, so each type can be scaled and drained on its own. */
export function applyQueueName(objectType: string): ApplyQueueName {
  return `apply.${objectType}`;
}

/** The name of an object type's apply queue. */
export type ApplyQueueName = `apply.${string}`;

/** The kinds of queue a job can travel on; `apply` stands for every per-type apply queue. */
export type QueueKind = typeof INGEST_QUEUE | 'apply' | typeof JOB_EVENTS_QUEUE;

/** The kind of a queue name known at compile time (`apply.team` is an `apply` queue). */
export type QueueKindOf<Q extends string> = Q extends ApplyQueueName
  ? 'apply'
  : Q extends QueueKind
    ? Q
    : never;

/** Every job name with its payload. Payloads carry ids and small scalars, never rows. */
export interface JobPayloads {
  /** `attempt`: how often the upload was sent again (recovery); absent or 0 the first time. */
  'ingest-upload': { jobId: string; orgId: string; attempt?: number };
  /** `attempt`: how often the chunk was dispatched again (recovery); absent or 0 the first time. */
  'apply-chunk': { jobId: string; orgId: string; object: string; chunk: number; attempt?: number };
  'chunk-applied': { jobId: string; orgId: string; chunk: number };
  'ingest-finished': { jobId: string; orgId: string };
  'cancel-requested': { jobId: string; orgId: string };
  'reap-stuck-jobs': Record<string, never>;
}

export type JobName = keyof JobPayloads;

/** The payload type of one job name, so producers and handlers cannot disagree. */
export type PayloadOf<N extends JobName> = JobPayloads[N];

/**
 * The kind of queue each job name travels on. Producers route by it, and every consuming service
 * checks at start-up that each name of a queue it consumes has exactly one processor.
 */
export const JOB_QUEUE_KINDS = {
  'ingest-upload': INGEST_QUEUE,
  'apply-chunk': 'apply',
  'chunk-applied': JOB_EVENTS_QUEUE,
  'ingest-finished': JOB_EVENTS_QUEUE,
  'cancel-requested': JOB_EVENTS_QUEUE,
  'reap-stuck-jobs': JOB_EVENTS_QUEUE,
} as const satisfies Record<JobName, QueueKind>;

/** The job names that travel on one kind of queue. */
export type JobNameOn<K extends QueueKind> = {
  [N in JobName]: (typeof JOB_QUEUE_KINDS)[N] extends K ? N : never;
}[JobName];

/** A job of one kind of queue: its name and the payload that goes with it, narrowed together. */
export type QueueJob<K extends QueueKind> = {
  [N in JobNameOn<K>]: { name: N; payload: PayloadOf<N> };
}[JobNameOn<K>];

/** The job names that travel on one kind of queue, in catalogue order. */
export function jobNamesOn(kind: QueueKind): JobName[] {
  return (Object.keys(JOB_QUEUE_KINDS) as JobName[]).filter(
    (name) => JOB_QUEUE_KINDS[name] === kind,
  );
}

/** The kind of a queue name, or null when the catalogue knows no such queue. */
export function queueKindOf(queue: string): QueueKind | null {
  const applyPrefix = applyQueueName('');
  if (queue.startsWith(applyPrefix) && queue.length > applyPrefix.length) return 'apply';
  return queue === INGEST_QUEUE || queue === JOB_EVENTS_QUEUE ? queue : null;
}

/** The queue a job travels on; apply queues are chosen by the payload's object type. */
export function queueFor<N extends JobName>(name: N, payload: PayloadOf<N>): string {
  const kind = JOB_QUEUE_KINDS[name];
  return kind === 'apply'
    ? applyQueueName((payload as PayloadOf<JobNameOn<'apply'>>).object)
    : kind;
}

/**
 * Deterministic BullMQ job ids: an enqueue repeated after a crash names the same job and is ignored
 * while that job is still known to Redis. (BullMQ 5 refuses ':' in custom ids, hence `<jobId>.<chunk>`.)
 * A recovery re-send carries the next attempt number and so gets a new id: a kept failed or stalled
 * queue job of an earlier attempt can never swallow it (the ledger still applies a chunk once).
 * Nudges get no id of their own: they are cheap and idempotent, and deduplicating them would drop
 * the one that arrives after the last chunk.
 */
export function bullJobId<N extends JobName>(name: N, payload: PayloadOf<N>): string | undefined {
  switch (name) {
    case 'ingest-upload': {
      const p = payload as PayloadOf<'ingest-upload'>;
      return `ingest-${p.jobId}${attemptSuffix(p.attempt)}`;
    }
    case 'apply-chunk': {
      const p = payload as PayloadOf<'apply-chunk'>;
      return `${p.jobId}.${p.chunk}${attemptSuffix(p.attempt)}`;
    }
    case 'chunk-applied':
    case 'ingest-finished':
    case 'cancel-requested':
    case 'reap-stuck-jobs':
      return undefined;
  }
}

/** `.a<n>` for a re-send, nothing for the first send (whose id stays what it always was). */
function attemptSuffix(attempt: number | undefined): string {
  return attempt ? `.a${attempt}` : '';
}
