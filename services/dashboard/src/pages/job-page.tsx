import { useEffect, useState } from 'preact/hooks';
import { ApplyPreview, isApplicablePreview } from '../components/apply-preview';
import { CancelJob } from '../components/cancel-job';
import { ChangeTable } from '../components/change-table';
import { CountTable } from '../components/count-table';
import { DownloadButton } from '../components/download-button';
import { Notice } from '../components/notice';
import { ProgressBar } from '../components/progress-bar';
import { SectionTable } from '../components/section-table';
import { StatusBadge } from '../components/status-badge';
import { UndoJob } from '../components/undo-job';
import { ApiError, getJson } from '../lib/api';
import { followEvents } from '../lib/event-source';
import { formatBytes } from '@bulkops/contracts';
import { count, isActive, localTime } from '../lib/format';
import { href } from '../lib/router';
import type { JobView, Me } from '../lib/types';

const COUNTS = ['created', 'updated', 'deleted', 'unchanged', 'failed'] as const;

/**
 * One job: counts, a live progress bar, files, a bundle's types, failure, frequent errors, error
 * file, cancel, undo, and what it changed — for a finished validate job, what applying it would change,
 * with the button that applies it.
 */
export function JobPage({ id, me }: { id: string; me: Me }) {
  const [job, setJob] = useState<JobView | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    setJob(null);
    setProblem(null);
    const controller = new AbortController();
    getJson<JobView>(`/v1/jobs/${encodeURIComponent(id)}`, controller.signal)
      .then((found) => {
        setJob(found);
        if (!found || !isActive(found.status)) return;
        // Followed until its final event; reconnects resume with Last-Event-ID.
        followEvents(
          `/v1/jobs/${encodeURIComponent(id)}/events`,
          {
            event: (event) => setJob(JSON.parse(event.data) as JobView),
            error: (error) => setProblem(error.message),
          },
          controller.signal,
          (event) => event.event === 'final',
        );
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted)
          setProblem(error instanceof ApiError ? error.message : 'The job could not be loaded.');
      });
    return () => controller.abort();
  }, [id]);

  if (problem && !job)
    return (
      <section aria-labelledby="job-title">
        <h1 id="job-title">Job</h1>
        <Notice>{problem}</Notice>
        <p>
          <a href={href.jobs()}>Back to the jobs</a>
        </p>
      </section>
    );
  if (!job) return <p class="loading">Loading the job…</p>;

  const stem = job.fileName.replace(/\.[^.]*$/, '') || job.object;
  return (
    <section aria-labelledby="job-title" data-job-id={job.id}>
      <p class="crumbs">
        <a href={href.jobs()}>Jobs</a> / <span class="mono">{job.id}</span>
      </p>
      <div class="page__head">
        <h1 id="job-title">
          {job.fileName} <span class="muted">· {job.object}</span>
        </h1>
        <StatusBadge job={job} />
      </div>
      {problem && <Notice>{problem}</Notice>}
      <ProgressBar job={job} />
      <dl class="counts" aria-label="Counts">
        {COUNTS.map((name) => (
          <div key={name} class={`counts__item counts__item--${name}`}>
            <dt>{name[0].toUpperCase() + name.slice(1)}</dt>
            <dd data-count={name}>{count(job.counts[name])}</dd>
          </div>
        ))}
        <div class="counts__item">
          <dt>Total</dt>
          <dd data-count="total">{count(job.counts.total)}</dd>
        </div>
      </dl>
      <div class="actions">
        <DownloadButton
          path={`/v1/jobs/${encodeURIComponent(job.id)}/errors`}
          fileName={`${stem}-errors.${job.sections ? 'zip' : 'csv'}`}
          label="Download error file"
        />
        <DownloadButton
          path={`/v1/jobs/${encodeURIComponent(job.id)}/changes`}
          fileName={`${stem}-changes.csv`}
          label="Download changes"
        />
        {me.role === 'admin' && <CancelJob job={job} answered={setJob} />}
        {me.role === 'admin' && <UndoJob job={job} />}
        {me.role === 'admin' && isApplicablePreview(job) && <ApplyPreview job={job} />}
      </div>
      {job.failure && (
        <Notice>
          <strong>The job failed ({job.failure.code}):</strong> {job.failure.message}
          {job.failure.file ? ` (${job.failure.file})` : ''}
        </Notice>
      )}
      <div class="grid">
        <section aria-labelledby="details-title">
          <h2 id="details-title">Details</h2>
          <dl class="details">
            <dt>Mode</dt>
            <dd>
              {job.mode === 'validate' ? 'Validate only' : job.mode === 'undo' ? 'Undo' : 'Apply'}
              {job.undoOf && (
                <>
                  {' of '}
                  <a class="mono" href={href.job(job.undoOf)}>
                    {job.undoOf}
                  </a>
                </>
              )}
            </dd>
            <dt>File size</dt>
            <dd>{formatBytes(job.fileSize)}</dd>
            <dt>Submitted by</dt>
            <dd>
              {job.submittedBy.name} ({job.submittedBy.email})
            </dd>
            <dt>Submitted at</dt>
            <dd>{localTime(job.submittedAt)}</dd>
            <dt>Started at</dt>
            <dd>{localTime(job.startedAt)}</dd>
            <dt>Finished at</dt>
            <dd>{localTime(job.finishedAt)}</dd>
          </dl>
        </section>
        <section aria-labelledby="files-title">
          <h2 id="files-title">Files</h2>
          {job.files.length === 0 ? (
            <p class="empty">No files read yet.</p>
          ) : (
            <CountTable heading="File" rows={job.files} />
          )}
        </section>
      </div>
      {job.sections && (
        <section aria-labelledby="sections-title">
          <h2 id="sections-title">Types, in the order they are applied</h2>
          {job.sections.length === 0 ? (
            <p class="empty">No files read yet.</p>
          ) : (
            <SectionTable sections={job.sections} applying={job.applying} />
          )}
        </section>
      )}
      <section aria-labelledby="changes-title">
        <h2 id="changes-title">
          {job.mode === 'validate' ? 'Changes an apply would make' : 'Changes'}
        </h2>
        {/* Keyed by status: the list is read again when the job moves on (e.g. finishes). */}
        <ChangeTable key={job.status} jobId={job.id} preview={job.mode === 'validate'} />
      </section>
      <section aria-labelledby="errors-title">
        <h2 id="errors-title">Most frequent errors</h2>
        {job.errorSummary.length === 0 ? (
          <p class="empty">No rejected rows.</p>
        ) : (
          <CountTable
            id="error-summary"
            heading="Message"
            rows={job.errorSummary.map((e) => ({ name: e.message, rows: e.count }))}
          />
        )}
      </section>
    </section>
  );
}
