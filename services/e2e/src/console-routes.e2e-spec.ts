import {
  createOrganization,
  type ApiDriver,
  type Stack,
  type TestContext,
  type TestOrganization,
  startServices,
  stopServices,
} from '@bulkops/testing';
import { revokeTokenForTest } from './support/revoke-token';

/**
 * The routes of the operator's console besides the job events: the dashboard page and its assets
 * (`GET /`), who a token is (`GET /v1/me`), and the queue board behind its session cookie
 * (`POST /admin/session`, `/admin/queues`).
 */
describe('the console routes', () => {
  let context: TestContext;
  let stack: Stack;
  let api: ApiDriver;
  let org: TestOrganization;

  beforeAll(async () => {
    ({ context, stack, api } = await startServices());
    org = await createOrganization(context.dataSource);
  });

  afterAll(() => stopServices({ context, stack }));

  /** A raw request without following redirects, as a browser's first hop sees it. */
  function raw(path: string, init: RequestInit = {}): Promise<Response> {
    return fetch(`${stack.gatewayUrl}${path}`, { redirect: 'manual', ...init });
  }

  async function openSession(token: string): Promise<Response> {
    return raw('/admin/session', { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  }

  function cookieOf(response: Response): string {
    return (response.headers.get('set-cookie') ?? '').split(';')[0];
  }

  it('serves the dashboard page and its assets from the gateway under a strict Content-Security-Policy', async () => {
    const page = await api.get('/', null);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    // Everything it loads comes from the gateway itself: no CDN, no inline script.
    expect(page.text).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(page.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const assets = [...page.text.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
    expect(assets.some((a) => a.endsWith('.js'))).toBe(true);
    expect(assets.some((a) => a.endsWith('.css'))).toBe(true);
    for (const asset of assets) {
      const answer = await api.get(asset, null);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toMatch(
        asset.endsWith('.js') ? /javascript/ : /text\/css/,
      );
      expect(answer.headers.get('cache-control')).toContain('immutable');
    }
    expect((await api.get('/favicon.svg', null)).status).toBe(200);
    expect((await api.get('/assets/missing.js', null)).status).toBe(404);
  });

  it('tells a token who it is: organization, role and administrator', async () => {
    const admin = await api.get('/v1/me', org.adminToken);
    expect(admin.status).toBe(200);
    expect(admin.body).toEqual({
      orgId: org.orgId,
      orgName: expect.stringMatching(/^Test Org/),
      role: 'admin',
      name: 'Ada Admin',
      email: 'ada@example.com',
    });
    expect((await api.get('/v1/me', org.viewerToken)).body).toMatchObject({
      orgId: org.orgId,
      role: 'viewer',
      name: 'Vic Viewer',
      email: 'vic@example.com',
    });
    const anonymous = await api.get('/v1/me', null);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ code: 'UNAUTHORIZED' });
    const docs = await api.get('/docs-json', null);
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining(['/v1/me', '/v1/events', '/v1/jobs/{id}/events', '/admin/session']),
    );
  });

  it('opens the queue board only through an admin session cookie', async () => {
    expect((await openSession(org.viewerToken)).status).toBe(403);
    expect((await raw('/admin/session', { method: 'POST' })).status).toBe(401);

    const opened = await openSession(org.adminToken);
    expect(opened.status).toBe(204);
    const setCookie = opened.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^bulkops_admin_session=[A-Za-z0-9_-]{40,};/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/admin');
    expect(setCookie).toMatch(/Max-Age=900\b/);
    expect(setCookie).not.toContain(org.adminToken);
    const cookie = cookieOf(opened);

    const board = await raw('/admin/queues', { headers: { cookie } });
    expect(board.status).toBe(200);
    expect(board.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await board.text()).toContain('bulkops queues');
    const queues = await raw('/admin/queues/api/queues', { headers: { cookie } });
    expect(queues.status).toBe(200);
    const names = ((await queues.json()) as { queues: { name: string }[] }).queues.map(
      (q) => q.name,
    );
    expect(names).toEqual(
      expect.arrayContaining(['ingest', 'job-events', 'apply.site', 'apply.user']),
    );

    // Without a session: a browser is sent to the dashboard to sign in, a program is refused.
    const browser = await raw('/admin/queues', { headers: { accept: 'text/html' } });
    expect(browser.status).toBe(303);
    expect(browser.headers.get('location')).toBe('/#/queues');
    const program = await raw('/admin/queues/api/queues', {
      headers: { accept: 'application/json' },
    });
    expect(program.status).toBe(401);
    expect(await program.json()).toMatchObject({ code: 'UNAUTHORIZED' });
    const forged = await raw('/admin/queues/api/queues', {
      headers: { cookie: 'bulkops_admin_session=forged' },
    });
    expect(forged.status).toBe(401);

    // Signing out ends the session on the server, not only in the browser.
    const closed = await raw('/admin/session', { method: 'DELETE', headers: { cookie } });
    expect(closed.status).toBe(204);
    expect(closed.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    expect((await raw('/admin/queues/api/queues', { headers: { cookie } })).status).toBe(401);
  });

  it('ends the queue-board session of a token that is revoked', async () => {
    const other = await createOrganization(context.dataSource);
    const cookie = cookieOf(await openSession(other.adminToken));
    expect((await raw('/admin/queues/api/queues', { headers: { cookie } })).status).toBe(200);
    await revokeTokenForTest(context.dataSource, other.adminToken);
    expect((await raw('/admin/queues/api/queues', { headers: { cookie } })).status).toBe(401);
  });
});
