import { useCallback, useEffect, useState } from 'preact/hooks';
import { Choice } from '../components/choice';
import { Notice } from '../components/notice';
import { Pager } from '../components/pager';
import { StatusBadge } from '../components/status-badge';
import { ApiError, getJson } from '../lib/api';
import { followEvents } from '../lib/event-source';
import { count, isActive, localTime, STATUSES } from '../lib/format';
import { href } from '../lib/router';
import type { JobView, Me, Page } from '../lib/types';
import { useObjectTypes } from '../lib/use-objects';

const PAGE_SIZE = 20;

interface Filters {
  status: string;
  object: string;
}

function matches(job: JobView, filters: Filters): boolean {
  return (
    (!filters.status || job.status === filters.status) &&
    (!filters.object || job.object === filters.object)
  );
}

/**
 * The home page: the organization's jobs newest first, with the seed's columns, filters and
 * paging, kept current by the organization's event stream; a banner follows the active job.
 */
export function JobsPage({ me }: { me: Me }) {
  const types = useObjectTypes();
  const [filters, setFilters] = useState<Filters>({ status: '', object: '' });
  // cursors[i] is the cursor that loads page i (null: the first page).
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [page, setPage] = useState<Page<JobView> | null>(null);
  const [active, setActive] = useState<JobView | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [live, setLive] = useState(false);
  const cursor = cursors.at(-1) ?? null;

  const load = useCallback(async () => {
    const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (cursor) query.set('cursor', cursor);
    if (filters.status) query.set('status', filters.status);
    if (filters.object) query.set('object', filters.object);
    try {
      const [jobs, current] = await Promise.all([
        getJson<Page<JobView>>(`/v1/jobs?${query.toString()}`),
        getJson<JobView>('/v1/jobs/active'),
      ]);
      setPage(jobs);
      setActive(current);
      setProblem(null);
    } catch (error) {
      setProblem(error instanceof ApiError ? error.message : 'The jobs could not be loaded.');
    }
  }, [cursor, filters]);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    const controller = new AbortController();
    followEvents(
      '/v1/events',
      {
        open: () => void load(),
        live: setLive,
        event: (event) => {
          if (event.event !== 'job') return;
          const job = JSON.parse(event.data) as JobView;
          setActive((current) =>
            isActive(job.status) ? job : current?.id === job.id ? null : current,
          );
          setPage((current) => {
            if (!current) return current;
            const at = current.items.findIndex((j) => j.id === job.id);
            if (at >= 0) {
              const items = [...current.items];
              items[at] = job;
              return { ...current, items };
            }
            if (cursor === null && matches(job, filters)) {
              return { ...current, items: [job, ...current.items].slice(0, PAGE_SIZE) };
            }
            return current;
          });
        },
      },
      controller.signal,
    );
    return () => controller.abort();
  }, [load, cursor, filters]);

  const setFilter = (name: keyof Filters, value: string) => {
    setFilters((f) => ({ ...f, [name]: value }));
    setCursors([null]);
  };
  const labelOf = (type: string) => types.find((t) => t.type === type)?.label ?? type;

  return (
    <section aria-labelledby="jobs-title">
      <div class="page__head">
        <h1 id="jobs-title">Jobs</h1>
        <span class={`live ${live ? 'live--on' : ''}`} role="status">
          {live ? 'Live' : 'Connecting…'}
        </span>
        {me.role === 'admin' && (
          <a class="button button--primary" href={href.import()}>
            New import
          </a>
        )}
      </div>
      {active && (
        <div class="banner" role="status" aria-live="polite" data-testid="active-banner">
          <strong>Active job:</strong>{' '}
          <a href={href.job(active.id)}>
            {labelOf(active.object)} · {active.fileName}
          </a>{' '}
          <StatusBadge job={active} />{' '}
          <span>
            {count(active.counts.processed)} of {count(active.counts.total)} rows
          </span>
        </div>
      )}
      <form class="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filter jobs">
        <Choice
          id="filter-status"
          label="Status"
          value={filters.status}
          empty="Any status"
          options={STATUSES}
          onChange={(value) => setFilter('status', value)}
        />
        <Choice
          id="filter-object"
          label="Object"
          value={filters.object}
          empty="Any object"
          options={types.map((t) => ({ value: t.type, label: t.label }))}
          onChange={(value) => setFilter('object', value)}
        />
      </form>
      {problem && <Notice>{problem}</Notice>}
      {page && page.items.length === 0 && (
        <p class="empty">
          No jobs {filters.status || filters.object ? 'match these filters' : 'yet'}.
        </p>
      )}
      {page && page.items.length > 0 && (
        <div class="table-wrap">
          <table class="table" id="jobs-table">
            <caption class="visually-hidden">Jobs, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Job ID</th>
                <th scope="col">File Name</th>
                <th scope="col">Object</th>
                <th scope="col">Status</th>
                <th scope="col">Submitted By</th>
                <th scope="col">Submitted At</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((job) => (
                <tr key={job.id} data-job-id={job.id}>
                  <td data-label="Job ID">
                    <a class="mono" href={href.job(job.id)} title={job.id}>
                      {job.id.slice(0, 8)}
                    </a>
                  </td>
                  <td data-label="File Name">{job.fileName}</td>
                  <td data-label="Object">{labelOf(job.object)}</td>
                  <td data-label="Status">
                    <StatusBadge job={job} />
                  </td>
                  <td data-label="Submitted By">
                    <span title={job.submittedBy.email}>{job.submittedBy.name}</span>
                  </td>
                  <td data-label="Submitted At">
                    <time dateTime={job.submittedAt}>{localTime(job.submittedAt)}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager
        label="Pages of jobs"
        cursors={cursors}
        setCursors={setCursors}
        nextCursor={page?.nextCursor}
        labels={['Newer', 'Older']}
      />
    </section>
  );
}
