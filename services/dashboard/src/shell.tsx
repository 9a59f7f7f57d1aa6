import { useEffect, useRef } from 'preact/hooks';
import type { Me } from './lib/types';
import { href, useRoute, type Route } from './lib/router';
import { ImportPage } from './pages/import-page';
import { JobPage } from './pages/job-page';
import { JobsPage } from './pages/jobs-page';
import { ObjectsPage } from './pages/objects-page';
import { QueuesPage } from './pages/queues-page';

const TITLES: Record<Route['page'], string> = {
  jobs: 'Jobs',
  job: 'Job',
  import: 'Import',
  objects: 'Objects',
  queues: 'Queues',
};

/** The signed-in frame: navigation, who is signed in, and the current page. */
export function Shell({ me, signOut }: { me: Me; signOut: () => void }) {
  const route = useRoute();
  const main = useRef<HTMLElement>(null);
  const admin = me.role === 'admin';
  useEffect(() => {
    document.title = `${TITLES[route.page]} · bulkops`;
    // Keyboard and screen-reader users land on the new page, not on the link they used.
    main.current?.focus();
  }, [route]);
  const links: { page: Route['page']; to: string; label: string }[] = [
    { page: 'jobs', to: href.jobs(), label: 'Jobs' },
    ...(admin ? [{ page: 'import' as const, to: href.import(), label: 'Import' }] : []),
    { page: 'objects', to: href.objects(), label: 'Objects' },
    ...(admin ? [{ page: 'queues' as const, to: href.queues(), label: 'Queues' }] : []),
  ];
  const current = route.page === 'job' ? 'jobs' : route.page;
  return (
    <>
      <a class="skip" href="#main" onClick={(e) => (e.preventDefault(), main.current?.focus())}>
        Skip to content
      </a>
      <header class="topbar">
        <span class="topbar__brand">bulkops</span>
        <nav aria-label="Main">
          <ul class="nav">
            {links.map((link) => (
              <li key={link.page}>
                <a href={link.to} aria-current={current === link.page ? 'page' : undefined}>
                  {link.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="topbar__who">
          <span>
            {me.orgName} · {me.name}{' '}
            <span class={`role role--${me.role}`} data-role={me.role}>
              {me.role}
            </span>
          </span>
          <button type="button" class="button button--quiet" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1} class="page">
        {route.page === 'jobs' && <JobsPage me={me} />}
        {route.page === 'job' && <JobPage id={route.id} me={me} />}
        {route.page === 'import' && <ImportPage me={me} />}
        {route.page === 'objects' && <ObjectsPage type={route.type} />}
        {route.page === 'queues' && <QueuesPage me={me} />}
      </main>
    </>
  );
}
