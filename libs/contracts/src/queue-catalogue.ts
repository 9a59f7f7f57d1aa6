/**
 * Queue and job names. Queue names become Redis keys: renaming one strands its jobs, so they are
 * treated like a public API.
 */
export const INGEST_QUEUE = 'ingest';
export const JOB_EVENTS_QUEUE = 'job-events';

/** One apply queue per object type, so each type can be scaled and drained on its own. */
export function applyQueueName(objectType: string): string {
  return `apply.${objectType}`;
}

/** Every job name with its payload. Payloads carry ids and small scalars, never rows. */
export interface JobPayloads {
  'ingest-upload': { jobId: string; orgId: string };
  'apply-chunk': { jobId: string; orgId: string; object: string; chunk: number };
  'chunk-applied': { jobId: string; orgId: string; chunk: number };
  'ingest-finished': { jobId: string; orgId: string };
  'reap-stuck-jobs': Record<string, never>;
}

export type JobName = keyof JobPayloads;

/** The payload type of one job name, so producers and handlers cannot disagree. */
export type PayloadOf<N extends JobName> = JobPayloads[N];

/** The queue each job name travels on (apply queues depend on the payload's object type). */
export function queueFor<N extends JobName>(name: N, payload: PayloadOf<N>): string {
  switch (name) {
    case 'ingest-upload':
      return INGEST_QUEUE;
    case 'apply-chunk':
      return applyQueueName((payload as PayloadOf<'apply-chunk'>).object);
    case 'chunk-applied':
    case 'ingest-finished':
    case 'reap-stuck-jobs':
      return JOB_EVENTS_QUEUE;
    default: {
      const unknownName: never = name;
      throw new Error(`No queue for job ${String(unknownName)}`);
    }
  }
}

/**
 * Deterministic BullMQ job ids: an enqueue repeated after a crash names the same job and is ignored
 * while that job is still known to Redis. (BullMQ 5 refuses ':' in custom ids, hence `<jobId>.<chunk>`.) Nudges get no id of their own: they are cheap and
 * idempotent, and deduplicating them would drop the one that arrives after the last chunk.
 */
export function bullJobId<N extends JobName>(name: N, payload: PayloadOf<N>): string | undefined {
  switch (name) {
    case 'ingest-upload':
      return `ingest-${(payload as PayloadOf<'ingest-upload'>).jobId}`;
    case 'apply-chunk': {
      const p = payload as PayloadOf<'apply-chunk'>;
      return `${p.jobId}.${p.chunk}`;
    }
    case 'chunk-applied':
    case 'ingest-finished':
    case 'reap-stuck-jobs':
      return undefined;
  }
}
