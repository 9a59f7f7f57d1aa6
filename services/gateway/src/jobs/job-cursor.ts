import { keysetCursor } from '../paging/keyset-cursor';

/** Where a page of jobs ends: the last job's submission time and id (the list's sort order). */
export interface JobPosition {
  submittedAt: Date;
  id: string;
}

/** Cursors of `GET /v1/jobs`. */
export const jobCursor = keysetCursor<JobPosition>(
  (job) => [job.submittedAt.toISOString(), job.id],
  ([at, id]) => {
    if (typeof at !== 'string' || typeof id !== 'string' || !/^[0-9a-f-]{36}$/i.test(id)) {
      return null;
    }
    const submittedAt = new Date(at);
    return Number.isNaN(submittedAt.getTime()) ? null : { submittedAt, id };
  },
);
