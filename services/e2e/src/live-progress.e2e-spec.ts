import { JobStatus, type JobView } from '@bulkops/contracts';
import {
  createOrganization,
  EventStreamClient,
  type ApiDriver,
  type Stack,
  type StreamEvent,
  type TestContext,
  type TestOrganization,
  startServices,
  stopServices,
  waitFor,
} from '@bulkops/testing';
import { TEAM_SITES, teamZip } from './support/team-upload';

const MAX_STREAMS = 4;

/** Every event id is a number that grows. */
function expectGrowingIds(events: StreamEvent[]): void {
  const ids = events.map((e) => Number(e.id));
  ids.forEach((id, i) => {
    expect(Number.isSafeInteger(id)).toBe(true);
    if (i > 0) expect(id).toBeGreaterThanOrEqual(ids[i - 1]);
  });
}

/**
 * Live progress over Server-Sent Events (spec/api.md `GET /v1/jobs/{id}/events`, `GET /v1/events`)
 * through the built services: events are fed by Postgres notifications from whichever service
 * changed the job, resumed from Postgres with Last-Event-ID, scoped to the organization.
 */
describe('live job events', () => {
  let context: TestContext;
  let stack: Stack;
  let api: ApiDriver;
  let org: TestOrganization;
  const open: EventStreamClient[] = [];

  async function stream(path: string, token: string | null, lastEventId?: string | null) {
    const client = await EventStreamClient.open(`${stack.gatewayUrl}${path}`, token, lastEventId);
    open.push(client);
    return client;
  }

  async function openStreams(): Promise<number> {
    const metrics = await api.get('/metrics', null);
    return [...metrics.text.matchAll(/^bulkops_sse_connections\{[^}]*\} (\d+)/gm)].reduce(
      (sum, m) => sum + Number(m[1]),
      0,
    );
  }

  beforeAll(async () => {
    ({ context, stack, api } = await startServices({
      env: {
        GATEWAY_MAX_EVENT_STREAMS: String(MAX_STREAMS),
        GATEWAY_EVENT_HEARTBEAT_MS: '300',
        // Many small chunks: the 20 × 5000-row job moves in visible steps.
        INGEST_CHUNK_SIZE: '1000',
      },
    }));
    org = await createOrganization(context.dataSource);
    expect((await api.run(org.adminToken, 'site', TEAM_SITES)).status).toBe('COMPLETED');
  });

  afterEach(async () => {
    if (!stack) return;
    await Promise.all(open.splice(0).map((s) => s.close()));
    await waitFor('the gateway to count no open stream', async () => (await openStreams()) === 0);
  });

  afterAll(() => stopServices({ context, stack }));

  it('sends progress and then the final event of a 20 × 5000-row job, and resumes a dropped stream with Last-Event-ID', async () => {
    const submitted = await api.submit(org.adminToken, 'team', await teamZip(20, 5000));
    expect(submitted.status).toBe(202);
    const id = submitted.body.id;
    const whole = await stream(`/v1/jobs/${id}/events`, org.adminToken);
    const dropped = await stream(`/v1/jobs/${id}/events`, org.adminToken);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');

    // The second client loses its connection once the job is under way…
    const midway = await dropped.next<JobView>(
      'an event of the job part-way through',
      (e) => e.event === 'progress' && e.data.counts.processed > 0,
      120_000,
    );
    await dropped.close();
    const lastSeen = dropped.lastEventId!;
    await waitFor('the job to move on while the client is away', async () => {
      const job = (await api.get<JobView>(`/v1/jobs/${id}`, org.adminToken)).body;
      return (
        job.counts.processed > midway.data.counts.processed || job.status !== JobStatus.InProgress
      );
    });
    // …and comes back with the id of the last event it saw.
    const resumed = await stream(`/v1/jobs/${id}/events`, org.adminToken, lastSeen);

    const final = await whole.next<JobView>('the final event', (e) => e.event === 'final', 180_000);
    await whole.untilEnded();
    expect(final.data).toMatchObject({
      id,
      status: 'COMPLETED',
      counts: { total: 100_000, processed: 100_000, created: 100_000, failed: 0 },
      progress: 1,
    });
    expect(final.data).toEqual((await api.get(`/v1/jobs/${id}`, org.adminToken)).body);
    expect(final.data.files).toHaveLength(20);

    const progress = whole.events.filter((e) => e.event === 'progress') as StreamEvent<JobView>[];
    expect(whole.events.at(-1)).toBe(final);
    expect(progress[0].data.id).toBe(id);
    expectGrowingIds(whole.events);
    const processed = progress.map((e) => e.data.counts.processed);
    expect(processed).toEqual([...processed].sort((a, b) => a - b));
    // Steps between nothing and everything were reported as they happened.
    expect(new Set(processed.filter((n) => n > 0 && n < 100_000)).size).toBeGreaterThanOrEqual(2);
    expect(progress.at(-1)!.data).toEqual(final.data);
    expect(whole.comments).toContain('heartbeat');

    await resumed.untilEnded();
    expect(resumed.events.length).toBeGreaterThanOrEqual(1);
    for (const event of resumed.events) expect(Number(event.id)).toBeGreaterThan(Number(lastSeen));
    expect(resumed.events.at(-1)).toMatchObject({ event: 'final', data: final.data });
    expect(resumed.events[0].data.counts.processed).toBeGreaterThan(midway.data.counts.processed);

    // A client that already saw the final event gets it once more (so it stops), and nothing else.
    const again = await stream(`/v1/jobs/${id}/events`, org.adminToken, final.id);
    await again.untilEnded();
    expect(again.events).toEqual([{ id: final.id, event: 'final', data: final.data }]);
  }, 300_000);

  it('streams every change of the organization, resumes from Last-Event-ID, and survives a lost Postgres listener', async () => {
    const events = await stream('/v1/events', org.viewerToken);
    expect(events.status).toBe(200);
    const ready = await events.next('the ready event', (e) => e.event === 'ready', 10_000);
    expect(Number(ready.id)).toBeGreaterThan(0);

    // The gateway's LISTEN connection is cut; it reconnects and catches up from Postgres.
    const [{ n }] = await context.dataSource.query<{ n: number }[]>(
      `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
        WHERE application_name = 'bulkops-gateway-listen' AND datname = current_database()`,
    );
    expect(n).toBe(1);
    const job = await api.run(org.adminToken, 'team', {
      name: 'more.csv',
      content: 'Name,Site,Type\r\nSupport,Austin,AGENT\r\n',
    });
    expect(job.status).toBe('COMPLETED');
    const finished = await events.next<JobView>(
      'the job event of the finished job',
      (e) => e.event === 'job' && e.data.id === job.id && e.data.status === JobStatus.Completed,
      30_000,
    );
    expect(finished.data).toEqual(job);
    expectGrowingIds(events.events);
    await waitFor(
      'the listener to be connected again',
      async () =>
        (
          await context.dataSource.query(
            `SELECT 1 FROM pg_stat_activity WHERE application_name = 'bulkops-gateway-listen' AND datname = current_database()`,
          )
        ).length === 1,
    );

    // Live: a job created and finished while the stream is open.
    const created = await api.submit(org.adminToken, 'team', {
      name: 'live.csv',
      content: 'Name,Site,Type\r\nLive,Denver,AGENT\r\n',
    });
    expect(created.status).toBe(202);
    const from = events.events.length;
    const first = await events.next<JobView>(
      'the new job',
      (e) => e.data.id === created.body.id,
      10_000,
      from,
    );
    expect(first.event).toBe('job');
    await events.next<JobView>(
      'the new job finished',
      (e) => e.data.id === created.body.id && e.data.status === JobStatus.Completed,
      30_000,
      from,
    );
    await events.close();

    // Resumed from the ready event: both jobs, in their latest state, in the order they changed.
    const resumed = await stream('/v1/events', org.adminToken, ready.id);
    const last = await resumed.next<JobView>(
      'the live job',
      (e) => e.data.id === created.body.id,
      10_000,
    );
    expect(last.data.status).toBe('COMPLETED');
    expect(resumed.events.map((e) => e.data.id)).toEqual([job.id, created.body.id]);
    expectGrowingIds(resumed.events);
    expect(resumed.events.some((e) => e.event === 'ready')).toBe(false);
  }, 120_000);

  it('keeps each organization to its own jobs and lets viewers follow them', async () => {
    const other = await createOrganization(context.dataSource);
    const theirs = await api.run(other.adminToken, 'site', TEAM_SITES);

    const foreign = await stream(`/v1/jobs/${theirs.id}/events`, org.adminToken);
    expect(foreign.status).toBe(404);
    expect(foreign.events).toEqual([]);
    const unknown = await api.get(
      '/v1/jobs/00000000-0000-4000-8000-000000000000/events',
      org.adminToken,
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: 'NOT_FOUND' });
    expect((await api.get('/v1/jobs/not-a-uuid/events', org.adminToken)).status).toBe(404);

    const viewer = await stream(`/v1/jobs/${theirs.id}/events`, other.viewerToken);
    expect(viewer.status).toBe(200);
    await viewer.untilEnded(10_000);
    expect(viewer.events.map((e) => e.event)).toEqual(['progress', 'final']);

    for (const path of [`/v1/jobs/${theirs.id}/events`, '/v1/events']) {
      const anonymous = await api.get(path, null);
      expect(anonymous.status).toBe(401);
      expect(anonymous.body).toMatchObject({ code: 'UNAUTHORIZED' });
    }
    const badId = await api.request('GET', '/v1/events', org.adminToken, undefined, {
      'last-event-id': 'yesterday',
    });
    expect(badId.status).toBe(400);
    expect(badId.body).toMatchObject({ code: 'INVALID_REQUEST' });

    // The organization stream of one organization never carries another's jobs.
    const mine = await stream('/v1/events', org.adminToken);
    await mine.next('the ready event', (e) => e.event === 'ready', 10_000);
    const elsewhere = await api.run(other.adminToken, 'site', {
      name: 'sites.csv',
      content: 'Name,Multimedia Profile\r\nBoston,MMP Default\r\n',
    });
    const ownJob = await api.run(org.adminToken, 'site', {
      name: 'sites.csv',
      content: 'Name,Multimedia Profile\r\nChicago,MMP Default\r\n',
    });
    await mine.next(
      'our own job',
      (e) => e.data?.id === ownJob.id && e.data.status === JobStatus.Completed,
    );
    expect(mine.events.some((e) => e.data?.id === elsewhere.id)).toBe(false);
  }, 60_000);

  it('refuses streams past the limit with 503 and counts open streams in a gauge', async () => {
    const streams = [];
    for (let i = 0; i < MAX_STREAMS; i += 1)
      streams.push(await stream('/v1/events', org.viewerToken));
    expect(streams.map((s) => s.status)).toEqual(Array(MAX_STREAMS).fill(200));
    await waitFor(
      'the gauge to count every stream',
      async () => (await openStreams()) === MAX_STREAMS,
    );

    const refused = await api.get('/v1/events', org.viewerToken);
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect(refused.headers.get('retry-after')).toBe('5');

    await streams[0].close();
    await waitFor('the gauge to drop', async () => (await openStreams()) === MAX_STREAMS - 1);
    const admitted = await stream('/v1/events', org.viewerToken);
    expect(admitted.status).toBe(200);
    // An idle stream carries heartbeats.
    await waitFor('a heartbeat', () => admitted.comments.includes('heartbeat'), 5000);
  });
});
