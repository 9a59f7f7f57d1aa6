import { timeIdCursor } from '../paging/time-id-cursor';

/** Where a page of jobs ends: the last job's submission time and id (the list's sort order). */
export interface JobPosition {
  submittedAt: Date;
  id: string;
}

/** Cursors of `GET /v1/jobs`. */
export const jobCursor = timeIdCursor<JobPosition>(
  (job) => job.submittedAt,
  (submittedAt, id) => ({ submittedAt, id }),
);
