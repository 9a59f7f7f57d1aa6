import { useState } from 'preact/hooks';
import { ApiError, postJson } from '../lib/api';
import { isActive } from '../lib/format';
import type { JobView } from '../lib/types';
import { Notice } from './notice';

type Outcome = { tone: 'info' | 'error'; text: string };

/** The sentence for the answer to `POST /v1/jobs/{id}/cancel` (spec/api.md). */
function outcomeOf(error: unknown): Outcome {
  if (error instanceof ApiError && error.code === 'JOB_NOT_ACTIVE') {
    return { tone: 'info', text: `Nothing to cancel: ${error.message}` };
  }
  return {
    tone: 'error',
    text: error instanceof ApiError ? error.message : 'The job could not be cancelled.',
  };
}

/**
 * The cancel control of the Job page (admins; the button only while the job is active). It shows
 * the gateway's answer in a sentence and keeps it after the job has ended; the job's own stream
 * then brings the Cancelled status and the counts of what was applied.
 */
export function CancelJob({ job, answered }: { job: JobView; answered: (job: JobView) => void }) {
  const [busy, setBusy] = useState(false);
  const [requested, setRequested] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  const cancel = async () => {
    setBusy(true);
    setOutcome(null);
    try {
      const accepted = await postJson<JobView>(`/v1/jobs/${encodeURIComponent(job.id)}/cancel`);
      setRequested(true);
      if (accepted) answered(accepted);
      setOutcome({
        tone: 'info',
        text: 'Cancellation requested: rows already applied stay applied; the rest will be in the error file once the job shows Cancelled.',
      });
    } catch (error) {
      setOutcome(outcomeOf(error));
    } finally {
      setBusy(false);
    }
  };

  const stopping = busy || requested;
  return (
    <>
      {isActive(job.status) && (
        <button
          type="button"
          class="button button--danger"
          onClick={() => void cancel()}
          disabled={stopping}
          aria-describedby={outcome ? 'cancel-outcome' : undefined}
        >
          {stopping ? 'Cancelling…' : 'Cancel job'}
        </button>
      )}
      {outcome && (
        <div id="cancel-outcome" class="actions__notice">
          <Notice tone={outcome.tone}>{outcome.text}</Notice>
        </div>
      )}
    </>
  );
}
