import { useEffect, useState } from 'preact/hooks';

/** A page of the dashboard, from the part of the URL after `#`. */
export type Route =
  | { page: 'jobs' }
  | { page: 'job'; id: string }
  | { page: 'import' }
  | { page: 'objects'; type: string | null }
  | { page: 'queues' };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  switch (parts[0]) {
    case 'jobs':
      return parts[1] ? { page: 'job', id: parts[1] } : { page: 'jobs' };
    case 'import':
      return { page: 'import' };
    case 'objects':
      return { page: 'objects', type: parts[1] ?? null };
    case 'queues':
      return { page: 'queues' };
    default:
      return { page: 'jobs' };
  }
}

export const href = {
  jobs: () => '#/jobs',
  job: (id: string) => `#/jobs/${encodeURIComponent(id)}`,
  import: () => '#/import',
  objects: (type?: string) => (type ? `#/objects/${encodeURIComponent(type)}` : '#/objects'),
  queues: () => '#/queues',
};

/** The current route; follows the hash. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);
  return route;
}
