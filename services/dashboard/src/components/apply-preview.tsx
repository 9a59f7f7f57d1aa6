import { useState } from 'preact/hooks';
import { ApiError, postJson } from '../lib/api';
import { href } from '../lib/router';
import type { JobView } from '../lib/types';
import { Notice } from './notice';

/** Statuses of a validate job whose upload may be applied (spec/api.md `POST /v1/jobs/{id}/apply`). */
const FINISHED = new Set(['COMPLETED', 'COMPLETED_WITH_ERRORS']);

/** Whether the job is a preview an admin can apply. */
export function isApplicablePreview(job: JobView): boolean {
  return job.mode === 'validate' && FINISHED.has(job.status);
}

/**
 * The "Apply this upload" button of a finished validate job (admins): a new apply job over the same
 * stored upload, then its page. A refusal (stale preview, another active job) is shown as the
 * gateway's sentence.
 */
export function ApplyPreview({ job }: { job: JobView }) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const apply = async () => {
    setBusy(true);
    setProblem(null);
    try {
      const created = await postJson<JobView>(`/v1/jobs/${encodeURIComponent(job.id)}/apply`);
      if (created) location.hash = href.job(created.id);
    } catch (error) {
      setProblem(error instanceof ApiError ? error.message : 'The upload could not be applied.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button
        type="button"
        class="button button--primary"
        id="apply-preview"
        onClick={() => void apply()}
        disabled={busy}
        aria-describedby={problem ? 'apply-outcome' : undefined}
      >
        {busy ? 'Applying…' : 'Apply this upload'}
      </button>
      {problem && (
        <div id="apply-outcome" class="actions__notice">
          <Notice>{problem}</Notice>
        </div>
      )}
    </>
  );
}
