import { keysetCursor } from '../paging/keyset-cursor';

/** Where a page of jobs ends: the last job's submission time and id (the list's sort order). */
export interface JobPosition {
  submittedAt: Date;
  id: string;
}

// Exactly what `encode` writes: Date#toISOString of a time Postgres can hold, and a UUID.
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Cursors of `GET /v1/jobs`. Anything but what `encode` writes — other shapes, a time or id Postgres
 * would refuse — is the client's mistake (400), never a query that fails.
 */
export const jobCursor = keysetCursor<JobPosition>(
  (job) => [job.submittedAt.toISOString(), job.id],
  (values) => {
    if (values.length !== 2) return null;
    const [at, id] = values;
    if (typeof at !== 'string' || typeof id !== 'string' || !ISO_TIME.test(at) || !UUID.test(id)) {
      return null;
    }
    const submittedAt = new Date(at);
    return !Number.isNaN(submittedAt.getTime()) && submittedAt.toISOString() === at
      ? { submittedAt, id }
      : null;
  },
);
