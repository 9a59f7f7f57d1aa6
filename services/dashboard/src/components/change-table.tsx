import { useEffect, useState } from 'preact/hooks';
import { ApiError, getJson } from '../lib/api';
import type { ChangeView, Page } from '../lib/types';
import { Notice } from './notice';
import { Pager } from './pager';

const PAGE_SIZE = 50;

/** A create's or delete's values in one cell, as the changes CSV writes them. */
function valuesOf(change: ChangeView, side: 'oldValue' | 'newValue'): string {
  return change.columns.map((c) => `${c.column}=${c[side] ?? ''}`).join('; ');
}

/** The table rows of one change: one per changed column of an update, one for a create or delete. */
function rowsOf(change: ChangeView): { column: string; oldValue: string; newValue: string }[] {
  if (change.action === 'CREATE')
    return [{ column: '', oldValue: '', newValue: valuesOf(change, 'newValue') }];
  if (change.action === 'DELETE')
    return [{ column: '', oldValue: valuesOf(change, 'oldValue'), newValue: '' }];
  if (change.columns.length === 0)
    return [{ column: '(file content)', oldValue: '', newValue: '' }];
  return change.columns.map((c) => ({
    column: c.column,
    oldValue: c.oldValue ?? '',
    newValue: c.newValue ?? '',
  }));
}

/**
 * What a job changed — for a validate job, what applying its upload would change — page by page
 * (`GET /v1/jobs/{id}/changes` in JSON), laid out like the changes CSV.
 */
export function ChangeTable({ jobId, preview }: { jobId: string; preview: boolean }) {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [page, setPage] = useState<Page<ChangeView> | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const cursor = cursors.at(-1) ?? null;

  useEffect(() => setCursors([null]), [jobId]);
  useEffect(() => {
    const controller = new AbortController();
    const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (cursor) query.set('cursor', cursor);
    getJson<Page<ChangeView>>(
      `/v1/jobs/${encodeURIComponent(jobId)}/changes?${query.toString()}`,
      controller.signal,
    )
      .then((found) => {
        setPage(found);
        setProblem(null);
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted)
          setProblem(
            error instanceof ApiError ? error.message : 'The changes could not be loaded.',
          );
      });
    return () => controller.abort();
  }, [jobId, cursor]);

  if (problem) return <Notice>{problem}</Notice>;
  if (!page) return <p class="loading">Loading the changes…</p>;
  if (page.items.length === 0 && cursors.length === 1)
    return (
      <p class="empty">
        {preview ? 'Applying this upload would change nothing.' : 'Nothing was changed.'}
      </p>
    );
  return (
    <>
      <div class="table-wrap">
        <table class="table table--compact" id="changes-table">
          <caption class="visually-hidden">
            {preview ? 'What applying this upload would change' : 'What the job changed'}
          </caption>
          <thead>
            <tr>
              {['Object', 'Key', 'Action', 'Column', 'Old Value', 'New Value', 'Source'].map(
                (name) => (
                  <th key={name} scope="col">
                    {name}
                  </th>
                ),
              )}
            </tr>
          </thead>
          <tbody>
            {page.items.flatMap((change, i) =>
              rowsOf(change).map((row, j) => (
                <tr key={`${i}.${j}`} data-action={change.action}>
                  <td data-label="Object">{change.object}</td>
                  <td data-label="Key">{change.key}</td>
                  <td data-label="Action">{change.action}</td>
                  <td data-label="Column">{row.column}</td>
                  <td data-label="Old Value">{row.oldValue}</td>
                  <td data-label="New Value">{row.newValue}</td>
                  <td data-label="Source">
                    {change.sourceFile}:{change.sourceRow}
                  </td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      </div>
      <Pager
        label="Pages of changes"
        cursors={cursors}
        setCursors={setCursors}
        nextCursor={page.nextCursor}
      />
    </>
  );
}
