import { FINAL_JOB_STATUSES, type JobView } from '@bulkops/contracts';
import { progressDisplay } from '../progress/progress-display';
import type { ApiClient } from './api-client';
import { followJobEvents } from './job-events';

/**
 * Follows a submitted job to its end through its event stream, showing its progress on stderr (a
 * bar on a terminal, plain lines otherwise); answers the final job. Progress goes to stderr so
 * stdout keeps only the results a script reads (one summary line per job).
 */
export async function waitForJob(client: ApiClient, job: JobView): Promise<JobView> {
  if (FINAL_JOB_STATUSES.includes(job.status)) return job;
  const display = progressDisplay(process.stderr);
  display.update(job);
  const final = await followJobEvents(client, job.id, (current) => display.update(current));
  display.finish(final);
  return final;
}
