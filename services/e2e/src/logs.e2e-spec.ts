import {
  type ApiDriver,
  createOrganization,
  type ServiceName,
  type Stack,
  type TestContext,
  startServices,
  stopServices,
} from '@bulkops/testing';

const SERVICES: ServiceName[] = ['gateway', 'ingest', 'worker', 'status'];

/**
 * What the services log about a job (spec issue "Observability"): one job can be followed across
 * services by `jobId` and `orgId`, and neither tokens nor CSV cell values ever appear.
 */
describe('logs of the running services', () => {
  let context: TestContext;
  let stack: Stack;
  let api: ApiDriver;

  beforeAll(async () => {
    ({ context, stack, api } = await startServices({ env: { LOG_LEVEL: 'info' } }));
  });

  afterAll(() => stopServices({ context, stack }));

  it('carry jobId and orgId on every line about a job, and never a token or a cell value', async () => {
    const org = await createOrganization(context.dataSource);
    const secretCell = 'Cell-Value-7f3a9c';
    const job = await api.run(org.adminToken, 'team', {
      name: 'teams.csv',
      content: `Name,Site,Type\r\nSupport,${secretCell},AGENT\r\n`,
    });
    expect(job).toMatchObject({ status: 'COMPLETED_WITH_ERRORS', counts: { failed: 1 } });
    expect((await api.errorRows(org.adminToken, job.id))[1]).toContain(secretCell);

    const lines = SERVICES.flatMap((service) =>
      stack.logs(service).map((line) => ({ service, line })),
    );
    const leaks = lines.filter(
      ({ line }) => line.includes(org.adminToken) || line.includes(secretCell),
    );
    expect(leaks).toEqual([]);

    const records = lines.flatMap(({ service, line }) => {
      try {
        return [{ service, record: JSON.parse(line) as Record<string, any> }];
      } catch {
        return [];
      }
    });
    const aboutJob = records.filter(
      ({ record }) => record['jobId'] === job.id || JSON.stringify(record).includes(job.id),
    );
    // Request lines name the job in their URL; every other line about it carries both ids.
    const pipeline = aboutJob.filter(({ record }) => record['req'] === undefined);
    expect(new Set(pipeline.map(({ service }) => service))).toEqual(new Set(['ingest', 'status']));
    for (const { record } of pipeline) {
      expect(record).toMatchObject({ jobId: job.id, orgId: org.orgId });
    }
    const requests = aboutJob.filter(({ record }) => record['req'] !== undefined);
    expect(requests.length).toBeGreaterThan(0);
    for (const { record } of requests) {
      expect(record).toMatchObject({
        orgId: org.orgId,
        req: { headers: { authorization: '[Redacted]' } },
      });
    }
  });
});
