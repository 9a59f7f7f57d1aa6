import { useEffect, useState } from 'preact/hooks';
import { ApiError, getJson, postJson } from '../lib/api';
import { isActive } from '../lib/format';
import { href } from '../lib/router';
import type { JobView } from '../lib/types';
import { Notice } from './notice';

/** How many recent jobs are read to find the latest one that changed objects. */
const RECENT_JOBS = 50;

/** Whether a job may have changed objects (validate and failed jobs change nothing). */
function changedObjects(job: JobView): boolean {
  return job.mode !== 'validate' && job.status !== 'FAILED';
}

/**
 * The undo control of the Job page (admins): shown on the organization's latest finished job that
 * changed objects, the only one `POST /v1/jobs/{id}/undo` accepts. It asks for a confirmation in
 * the page, posts, and opens the new undo job; a refusal is shown as the gateway's sentence.
 */
export function UndoJob({ job }: { job: JobView }) {
  /** Whether this job is the latest that changed objects; null until the job list says. */
  const [latest, setLatest] = useState<boolean | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const candidate = !isActive(job.status) && changedObjects(job);

  useEffect(() => {
    setLatest(null);
    if (!candidate) {
      setLatest(false);
      return;
    }
    const controller = new AbortController();
    getJson<{ items: JobView[] }>(`/v1/jobs?limit=${RECENT_JOBS}`, controller.signal)
      .then((page) => setLatest(page?.items.find(changedObjects)?.id === job.id))
      .catch(() => setLatest(false));
    return () => controller.abort();
  }, [job.id, candidate]);

  const undo = async () => {
    setBusy(true);
    setProblem(null);
    try {
      const created = await postJson<JobView>(`/v1/jobs/${encodeURIComponent(job.id)}/undo`);
      if (created) location.hash = href.job(created.id);
    } catch (error) {
      setProblem(error instanceof ApiError ? error.message : 'The job could not be undone.');
      setConfirming(false);
    } finally {
      setBusy(false);
    }
  };

  // The marker says the question was answered (browser tests wait on it, not on time).
  if (!latest) return <span hidden data-undo={latest === null ? 'checking' : 'not-latest'} />;
  return (
    <>
      {confirming ? (
        <span class="confirm" role="group" aria-label="Confirm the undo">
          <span>Restore every object this job changed to its state before the job?</span>
          <button
            type="button"
            class="button button--danger"
            onClick={() => void undo()}
            disabled={busy}
          >
            {busy ? 'Undoing…' : 'Yes, undo'}
          </button>
          <button type="button" class="button" onClick={() => setConfirming(false)} disabled={busy}>
            Keep
          </button>
        </span>
      ) : (
        <button type="button" class="button" onClick={() => setConfirming(true)}>
          Undo
        </button>
      )}
      {problem && (
        <div id="undo-outcome" class="actions__notice">
          <Notice tone="error">{problem}</Notice>
        </div>
      )}
    </>
  );
}
