import { useEffect, useState } from 'preact/hooks';
import { Notice } from '../components/notice';
import { ApiError, request } from '../lib/api';
import type { Me } from '../lib/types';

/**
 * Opens the queue board (Bull Board at /admin/queues): trades the token for a short-lived HttpOnly
 * session cookie scoped to /admin, then goes there. The token never goes into the board's URL.
 */
export function QueuesPage({ me }: { me: Me }) {
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    if (me.role !== 'admin') return;
    request('/admin/session', { method: 'POST' })
      .then(() => location.assign('/admin/queues'))
      .catch((error: unknown) =>
        setProblem(error instanceof ApiError ? error.message : 'The queue board cannot be opened.'),
      );
  }, [me.role]);
  return (
    <section aria-labelledby="queues-title">
      <h1 id="queues-title">Queues</h1>
      {me.role !== 'admin' ? (
        <Notice>The queue board is for administrators; a viewer token cannot open it.</Notice>
      ) : problem ? (
        <Notice>{problem}</Notice>
      ) : (
        <p role="status">Opening the queue board…</p>
      )}
    </section>
  );
}
