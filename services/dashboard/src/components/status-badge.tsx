import type { JobView } from '../lib/types';
import { STATUS_TONE } from '../lib/format';

/** A job's status: its label in its colour, and while it runs, how far it got. */
export function StatusBadge({ job }: { job: JobView }) {
  const running = job.status === 'IN_PROGRESS';
  return (
    <span class="status">
      <span class={`badge badge--${STATUS_TONE[job.status] ?? 'muted'}`} data-status={job.status}>
        {job.statusLabel}
      </span>
      {running && (
        <span class="status__progress">
          <progress
            max={1}
            value={job.progress}
            aria-label={`Job ${job.id.slice(0, 8)} progress`}
          />
          <span class="status__percent">{Math.floor(job.progress * 100)}%</span>
        </span>
      )}
    </span>
  );
}
