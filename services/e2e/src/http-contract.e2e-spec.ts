import IORedis from 'ioredis';
import { revokeTokenForTest } from './support/revoke-token';
import {
  type ApiDriver,
  createOrganization,
  type Stack,
  type TestContext,
  type TestOrganization,
  startServices,
  stopServices,
} from '@bulkops/testing';

const SITES = { name: 'sites.csv', content: 'Name,Multimedia Profile\nAustin,MMP\n' };

/** The HTTP contract of spec/api.md: the one-active-job rule, tenancy, roles, idempotency, paging, errors. */
describe('the HTTP API', () => {
  let context: TestContext;
  let stack: Stack;
  let api: ApiDriver;

  beforeAll(async () => {
    // Started without a worker: jobs stay active until the test starts one, so races are deterministic.
    ({ context, stack, api } = await startServices({ services: ['gateway', 'ingest', 'status'] }));
  });

  afterAll(() => stopServices({ context, stack }));

  describe('one active job per organization', () => {
    let busy: TestOrganization;
    let other: TestOrganization;

    beforeAll(async () => {
      busy = await createOrganization(context.dataSource);
      other = await createOrganization(context.dataSource);
    });

    it('accepts exactly one of 20 concurrent submissions and answers the rest 409 with the active job id', async () => {
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => api.submit(busy.adminToken, 'site', SITES)),
      );
      const accepted = answers.filter((a) => a.status === 202);
      const refused = answers.filter((a) => a.status === 409);
      expect(accepted).toHaveLength(1);
      expect(refused).toHaveLength(19);
      const winner = accepted[0].body.id;
      expect(accepted[0].headers.get('location')).toBe(`/v1/jobs/${winner}`);
      for (const answer of refused) {
        expect(answer.body).toEqual({
          statusCode: 409,
          error: 'Conflict',
          code: 'JOB_ALREADY_ACTIVE',
          activeJobId: winner,
          message: `This organization already has an active job (${winner}); wait for it to finish, then submit again.`,
        });
      }
      expect(
        await context.dataSource.query(
          `SELECT count(*)::int AS n FROM job WHERE organization_id = $1`,
          [busy.orgId],
        ),
      ).toEqual([{ n: 1 }]);
    });

    it('does not block another organization', async () => {
      const answer = await api.submit(other.adminToken, 'site', SITES);
      expect(answer.status).toBe(202);
    });

    it('answers the active job, and 204 plus a fresh acceptance once it has ended', async () => {
      const active = await api.get('/v1/jobs/active', busy.adminToken);
      expect(active.status).toBe(200);
      expect(['NEW', 'IN_PROGRESS']).toContain(active.body.status);
      await stack.ensureService('worker');
      await api.finished(busy.adminToken, active.body.id);
      expect((await api.get('/v1/jobs/active', busy.adminToken)).status).toBe(204);
      const next = await api.submit(busy.adminToken, 'site', SITES);
      expect(next.status).toBe(202);
      expect((await api.finished(busy.adminToken, next.body.id)).counts.unchanged).toBe(1);
    });
    it('does not refuse a submission because a finished job still holds the lock for a moment', async () => {
      await stack.ensureService('worker');
      const org = await createOrganization(context.dataSource);
      const finished = await api.run(org.adminToken, 'site', SITES);
      // Status records the final status first and releases the lock just after (or dies in between).
      const redis = new IORedis(context.env['REDIS_URL']);
      try {
        await redis.set(`${context.queuePrefix}:lock:org:${org.orgId}`, finished.id, 'PX', 60_000);
        const next = await api.submit(org.adminToken, 'site', SITES);
        expect(next.status).toBe(202);
        expect(await redis.get(`${context.queuePrefix}:lock:org:${org.orgId}`)).not.toBe(
          finished.id,
        );
        await api.finished(org.adminToken, next.body.id);
      } finally {
        redis.disconnect();
      }
    });
  });

  describe('tenancy and roles', () => {
    let alpha: TestOrganization;
    let beta: TestOrganization;
    let alphaJob: string;

    beforeAll(async () => {
      await stack.ensureService('worker');
      alpha = await createOrganization(context.dataSource);
      beta = await createOrganization(context.dataSource);
      alphaJob = (await api.run(alpha.adminToken, 'site', SITES)).id;
    });

    it.each(['', '/errors'])(
      "answers 404 for another organization's job at /v1/jobs/{id}%s",
      async (suffix) => {
        const answer = await api.get(`/v1/jobs/${alphaJob}${suffix}`, beta.adminToken);
        expect(answer.status).toBe(404);
        expect(answer.body).toEqual({
          statusCode: 404,
          error: 'Not Found',
          code: 'NOT_FOUND',
          message: 'No job has this id in your organization.',
        });
        expect((await api.get(`/v1/jobs/${alphaJob}${suffix}`, alpha.adminToken)).status).toBe(200);
      },
    );

    it("never lists another organization's jobs", async () => {
      const list = await api.get('/v1/jobs', beta.adminToken);
      expect(list.body.items.map((j: { id: string }) => j.id)).not.toContain(alphaJob);
      expect((await api.get('/v1/jobs/active', beta.adminToken)).status).toBe(204);
    });

    it('answers 404 for an id that is not a uuid', async () => {
      expect((await api.get('/v1/jobs/not-a-uuid', alpha.adminToken)).status).toBe(404);
    });

    it('lets a viewer read but not submit (403)', async () => {
      expect((await api.get(`/v1/jobs/${alphaJob}`, alpha.viewerToken)).status).toBe(200);
      const answer = await api.submit(alpha.viewerToken, 'site', SITES);
      expect(answer.status).toBe(403);
      expect(answer.body).toMatchObject({ statusCode: 403, error: 'Forbidden', code: 'FORBIDDEN' });
    });

    it.each([
      ['no Authorization header', {}],
      ['a malformed header', { authorization: 'Token abc' }],
      ['an unknown token', { authorization: 'Bearer bko_unknown' }],
    ])('answers 401 for %s', async (_what, headers) => {
      const answer = await api.request('GET', '/v1/jobs', null, undefined, headers);
      expect(answer.status).toBe(401);
      expect(answer.body).toMatchObject({
        statusCode: 401,
        error: 'Unauthorized',
        code: 'UNAUTHORIZED',
      });
    });

    it('answers 401 for a revoked token', async () => {
      const org = await createOrganization(context.dataSource);
      expect((await api.get('/v1/jobs', org.viewerToken)).status).toBe(200);
      await revokeTokenForTest(context.dataSource, org.viewerToken, api);
      const answer = await api.get('/v1/jobs', org.viewerToken);
      expect(answer.status).toBe(401);
      expect(answer.body.code).toBe('UNAUTHORIZED');
    });
  });

  describe('submissions', () => {
    let org: TestOrganization;

    beforeAll(async () => {
      await stack.ensureService('worker');
      org = await createOrganization(context.dataSource);
    });

    it.each([
      ['no object field', null, SITES, {}, 400, 'INVALID_REQUEST', /"object" is missing/],
      [
        'an unknown object type',
        'spaceship',
        SITES,
        {},
        404,
        'UNKNOWN_OBJECT_TYPE',
        /'spaceship' is not an object type; use one of site, /,
      ],
      ['no file', 'site', null, {}, 400, 'INVALID_REQUEST', /has no file/],
      [
        'a file that is neither CSV nor zip',
        'site',
        { name: 'sites.xlsx', content: 'x' },
        {},
        400,
        'INVALID_REQUEST',
        /neither a \.csv nor a \.zip/,
      ],
      [
        'an unknown mode',
        'site',
        SITES,
        { mode: 'dry-run' },
        400,
        'INVALID_REQUEST',
        /mode 'dry-run' is not known; use apply or validate/,
      ],
    ])('refuses %s', async (_what, object, file, options, status, code, message) => {
      const answer = await api.submit(org.adminToken, object, file, options);
      expect(answer.status).toBe(status);
      expect(answer.body).toMatchObject({
        statusCode: status,
        code,
        message: expect.stringMatching(message),
      });
      expect((await api.get('/v1/jobs/active', org.adminToken)).status).toBe(204);
    });

    it('answers a retried submission with the same Idempotency-Key with the original job (200)', async () => {
      const first = await api.submit(org.adminToken, 'site', SITES, {
        idempotencyKey: 'upload-42',
      });
      expect(first.status).toBe(202);
      const retry = await api.submit(org.adminToken, 'site', SITES, {
        idempotencyKey: 'upload-42',
      });
      expect(retry.status).toBe(200);
      expect(retry.body.id).toBe(first.body.id);
      await api.finished(org.adminToken, first.body.id);
      const again = await api.submit(org.adminToken, 'site', SITES, {
        idempotencyKey: 'upload-42',
      });
      expect(again.body.id).toBe(first.body.id);
      const otherOrg = await createOrganization(context.dataSource);
      const theirs = await api.submit(otherOrg.adminToken, 'site', SITES, {
        idempotencyKey: 'upload-42',
      });
      expect(theirs.status).toBe(202);
      expect(theirs.body.id).not.toBe(first.body.id);
    });

    it('pages jobs most recent first and filters them', async () => {
      const pager = await createOrganization(context.dataSource);
      const ids: string[] = [];
      for (const object of ['site', 'site', 'skill-definition']) {
        const content =
          object === 'site'
            ? SITES.content
            : 'Name,Service Level Threshold,Type\nEnglish,30,TEXT\n';
        ids.push((await api.run(pager.adminToken, object, { name: 'f.csv', content })).id);
      }
      const first = await api.get('/v1/jobs?limit=2', pager.adminToken);
      expect(first.body.items.map((j: { id: string }) => j.id)).toEqual([ids[2], ids[1]]);
      const second = await api.get(
        `/v1/jobs?limit=2&cursor=${first.body.nextCursor}`,
        pager.adminToken,
      );
      expect(second.body).toMatchObject({ items: [{ id: ids[0] }], nextCursor: null });
      const sites = await api.get('/v1/jobs?object=site&status=COMPLETED', pager.adminToken);
      expect(sites.body.items.map((j: { id: string }) => j.id)).toEqual([ids[1], ids[0]]);
      expect((await api.get('/v1/jobs?status=DONE', pager.adminToken)).body).toMatchObject({
        statusCode: 400,
        code: 'INVALID_REQUEST',
      });
      expect((await api.get('/v1/jobs?cursor=garbage', pager.adminToken)).body).toMatchObject({
        statusCode: 400,
        code: 'INVALID_REQUEST',
      });
    });
  });

  describe('objects and operations', () => {
    it('lists the object types in dependency order with their columns, Action last', async () => {
      const org = await createOrganization(context.dataSource);
      const answer = await api.get('/v1/objects', org.viewerToken);
      expect(answer.status).toBe(200);
      const types = answer.body.map((t: { type: string }) => t.type);
      expect(types[0]).toBe('site');
      const team = answer.body.find((t: { type: string }) => t.type === 'team');
      expect(team).toMatchObject({
        label: 'Team',
        file: 'csv',
        key: ['Site', 'Name'],
        dependsOn: expect.arrayContaining(['site', 'skill-profile']),
      });
      expect(team.columns.map((c: { name: string }) => c.name)).toEqual([
        'Name',
        'Site',
        'Type',
        'Multimedia Profile',
        'Skill Profile',
        'DN',
        'Capacity',
        'Desktop Layout',
        'Action',
      ]);
      expect(team.columns[2]).toMatchObject({
        name: 'Type',
        required: true,
        type: 'enum',
        values: ['AGENT', 'CAPACITY'],
        immutable: true,
      });
      expect(team.columns[5]).toMatchObject({
        name: 'DN',
        required: false,
        requiredWhen: 'Type is CAPACITY',
        onlyWhen: 'Type is CAPACITY',
      });
      expect(types.indexOf('site')).toBeLessThan(types.indexOf('team'));
    });

    it('serves a header-only template with BOM and CRLF, and 404 for an unknown type', async () => {
      const org = await createOrganization(context.dataSource);
      const template = await api.get('/v1/objects/team/template', org.viewerToken);
      expect(template.status).toBe(200);
      expect(template.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(template.headers.get('content-disposition')).toBe(
        'attachment; filename="team-template.csv"',
      );
      expect(template.text).toBe(
        '\uFEFFName,Site,Type,Multimedia Profile,Skill Profile,DN,Capacity,Desktop Layout,Action\r\n',
      );
      const unknown = await api.get('/v1/objects/spaceship/template', org.viewerToken);
      expect(unknown.body).toMatchObject({ statusCode: 404, code: 'UNKNOWN_OBJECT_TYPE' });
    });

    it('serves the OpenAPI document, health and metrics', async () => {
      const docs = await api.get('/docs-json', null);
      expect(Object.keys(docs.body.paths)).toEqual(
        expect.arrayContaining([
          '/v1/jobs',
          '/v1/jobs/{id}',
          '/v1/jobs/{id}/errors',
          '/v1/objects',
          '/v1/objects/{type}/template',
        ]),
      );
      for (const service of ['gateway', 'ingest', 'status'] as const) {
        const ready = await fetch(`${stack.url(service)}/health/ready`);
        expect(await ready.json()).toMatchObject({
          status: 'ok',
          info: { postgres: { status: 'up' }, redis: { status: 'up' } },
        });
        expect(await (await fetch(`${stack.url(service)}/metrics`)).text()).toContain(
          'process_cpu_user_seconds_total',
        );
      }
    });

    it('answers an unknown route with the error body and no stack', async () => {
      const answer = await api.get('/v1/nothing', null);
      expect(answer.status).toBe(404);
      expect(answer.body).toEqual({
        statusCode: 404,
        error: 'Not Found',
        code: 'NOT_FOUND',
        message: 'There is no GET /v1/nothing; see /docs for the API.',
      });
    });
  });
});
