import { useEffect, useState } from 'preact/hooks';
import { ApiError, getJson } from './api';
import type { Page } from './types';

/** Rows a paged table asks for at once. */
const PAGE_SIZE = 50;

/**
 * One keyset-paged list of the API (`{items, nextCursor}`), page by page: `cursors` and
 * `setCursors` drive the Pager; a new `path` starts again at the first page; `what` names the list
 * in the sentence shown when it cannot be loaded. A null path loads nothing.
 */
export function useCursorPages<T>(path: string | null, what: string) {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [page, setPage] = useState<Page<T> | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const cursor = cursors.at(-1) ?? null;

  useEffect(() => setCursors([null]), [path]);
  useEffect(() => {
    if (!path) return;
    setPage(null);
    const controller = new AbortController();
    const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (cursor) query.set('cursor', cursor);
    getJson<Page<T>>(`${path}?${query.toString()}`, controller.signal)
      .then((found) => {
        setPage(found);
        setProblem(null);
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted)
          setProblem(
            error instanceof ApiError ? error.message : `The ${what} could not be loaded.`,
          );
      });
    return () => controller.abort();
  }, [path, cursor, what]);

  return { page, problem, cursors, setCursors };
}
