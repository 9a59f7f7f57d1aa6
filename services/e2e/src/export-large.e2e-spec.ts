import { once } from 'node:events';
import { connect } from 'node:net';
import { getObject } from '@bulkops/objects';
import {
  type ApiDriver,
  cloneRecords,
  createOrganization,
  readZip,
  type Stack,
  waitFor,
  type TestContext,
  type TestOrganization,
  startServices,
  stopServices,
} from '@bulkops/testing';
import {
  csvRows,
  exportCursorReleased,
  importValidFixtures,
  rowKeys,
  stalledExportCursor,
  withDependencies,
} from './support/exports';

/**
 * The type whose large exports are tested: users, as the issue asks. Any CSV type works — the
 * fixtures of the type and of everything it references are imported, then one record is cloned.
 */
const LARGE_TYPE = 'user';

/**
 * Exports past the per-file limit: a zip of CSV parts of at most 5000 records that imports back
 * unchanged, and a client that goes away mid-download stops the database query.
 */
describe(`a large ${LARGE_TYPE} export`, () => {
  const declaration = getObject(LARGE_TYPE);
  let context: TestContext;
  let stack: Stack;
  let api: ApiDriver;

  beforeAll(async () => {
    // One export at a time, so the disconnect test can show a second one refused while the first holds its slot.
    ({ context, stack, api } = await startServices({
      env: { GATEWAY_MAX_CONCURRENT_EXPORTS: '1' },
    }));
  });

  afterAll(() => stopServices({ context, stack }));

  /** An organization holding exactly `count` records of the type. */
  async function organizationWith(count: number): Promise<TestOrganization> {
    const org = await createOrganization(context.dataSource);
    await importValidFixtures(api, org.adminToken, withDependencies(LARGE_TYPE));
    const [{ n }] = await context.dataSource.query(
      `SELECT count(*)::int AS n FROM "${declaration.table}" WHERE organization_id = $1`,
      [org.orgId],
    );
    await cloneRecords(context.dataSource, org.orgId, LARGE_TYPE, count - n);
    return org;
  }

  it('is one CSV up to 5000 records and a zip of parts from 5001', async () => {
    const org = await organizationWith(5000);
    const csv = await api.download(`/v1/objects/${LARGE_TYPE}/export`, org.viewerToken);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csvRows(csv.bytes)).toHaveLength(5001);

    await cloneRecords(context.dataSource, org.orgId, LARGE_TYPE, 1, 100_000);
    const zip = await api.download(`/v1/objects/${LARGE_TYPE}/export`, org.viewerToken);
    expect(zip.headers.get('content-type')).toBe('application/zip');
    const parts = await readZip(zip.bytes);
    expect(parts.map((p) => ({ name: p.name, records: csvRows(p.content).length - 1 }))).toEqual([
      { name: `${LARGE_TYPE}-001.csv`, records: 5000 },
      { name: `${LARGE_TYPE}-002.csv`, records: 1 },
    ]);
  });

  it('is a zip of 5000, 5000 and 2001 records whose re-import is unchanged throughout', async () => {
    const org = await organizationWith(12_001);
    const exported = await api.download(`/v1/objects/${LARGE_TYPE}/export`, org.viewerToken);
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toBe('application/zip');
    expect(exported.headers.get('content-disposition')).toBe(
      `attachment; filename="${LARGE_TYPE}.zip"`,
    );

    const parts = (await readZip(exported.bytes)).map((entry) => ({
      name: entry.name,
      rows: csvRows(entry.content),
    }));
    expect(
      parts.map((p) => ({ name: p.name, header: p.rows[0], records: p.rows.length - 1 })),
    ).toEqual([
      { name: `${LARGE_TYPE}-001.csv`, header: declaration.header, records: 5000 },
      { name: `${LARGE_TYPE}-002.csv`, header: declaration.header, records: 5000 },
      { name: `${LARGE_TYPE}-003.csv`, header: declaration.header, records: 2001 },
    ]);
    const keys = parts.flatMap((p) => rowKeys(declaration, p.rows));
    const stored = await context.dataSource.query(
      `SELECT key_norm FROM "${declaration.table}" WHERE organization_id = $1 ORDER BY key_norm`,
      [org.orgId],
    );
    expect(keys).toEqual(stored.map((r: { key_norm: string }) => r.key_norm));

    const submitted = await api.submit(org.adminToken, LARGE_TYPE, {
      name: `${LARGE_TYPE}.zip`,
      content: exported.bytes,
    });
    expect(submitted.status).toBe(202);
    const job = await api.finished(org.adminToken, submitted.body.id, 240_000);
    expect(job.files).toEqual(parts.map((p) => ({ name: p.name, rows: p.rows.length - 1 })));
    expect(job.counts).toEqual({
      total: 12_001,
      processed: 12_001,
      succeeded: 12_001,
      failed: 0,
      created: 0,
      updated: 0,
      deleted: 0,
      unchanged: 12_001,
    });
  });

  it('stops the database query when the client disconnects mid-download', async () => {
    // Random text in a free-text column keeps the zip from compressing to less than the socket
    // buffers hold, so a client that stops reading really stalls the export part-way.
    const org = await organizationWith(150_000);
    const text = declaration.columns.find(
      (c) => !c.isKey && !c.kind.reference && c.kind.pgType === 'text',
    )!;
    await context.dataSource.query(
      `UPDATE "${declaration.table}" SET "${text.dbColumn}" = md5(random()::text) || md5(random()::text) WHERE organization_id = $1`,
      [org.orgId],
    );
    const client = connect(Number(new URL(stack.gatewayUrl).port), '127.0.0.1');
    client.write(
      `GET /v1/objects/${LARGE_TYPE}/export HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${org.viewerToken}\r\n\r\n`,
    );
    const [head] = (await once(client, 'data')) as [Buffer];
    expect(head.toString('latin1')).toMatch(
      /^HTTP\/1\.1 200 OK\r\n[\s\S]*content-type: application\/zip/i,
    );
    // The client stops reading: backpressure must hold the cursor open part-way through the records.
    client.pause();
    const stalled = await stalledExportCursor(context.dataSource);

    expect(await api.get(`/v1/objects/${LARGE_TYPE}/export`, org.viewerToken)).toMatchObject({
      status: 503,
      body: { code: 'SERVICE_UNAVAILABLE' },
    });

    client.destroy();
    // The connection went back to the pool after rolling back the export's snapshot (or the pool closed it).
    expect(await exportCursorReleased(context.dataSource, stalled)).toBe(true);
    // The slot is free again: the next export is answered in full.
    const next = await waitFor('the export slot to be given back', async () => {
      const answer = await api.download('/v1/objects/site/export', org.viewerToken);
      return answer.status === 200 ? answer : undefined;
    });
    expect(csvRows(next.bytes)[0]).toEqual(getObject('site').header);
    // Seeding 150,000 records and rewriting their text dominates this test's time on a busy machine.
  }, 240_000);
});
