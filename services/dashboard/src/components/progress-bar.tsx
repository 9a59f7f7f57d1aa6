import type { JobView } from '../lib/types';
import { count } from '../lib/format';

/** The job's progress as a bar with rows done of rows in total. */
export function ProgressBar({ job }: { job: JobView }) {
  const percent = Math.floor(job.progress * 100);
  return (
    <div class="progress">
      <progress
        id="job-progress"
        max={1}
        value={job.progress}
        aria-describedby="job-progress-text"
      />
      <p id="job-progress-text" class="progress__text" aria-live="polite">
        {count(job.counts.processed)} of {count(job.counts.total)} rows processed ({percent}%)
      </p>
    </div>
  );
}
