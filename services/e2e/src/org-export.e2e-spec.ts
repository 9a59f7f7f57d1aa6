import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { connect } from 'node:net';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { JobStatus } from '@bulkops/contracts';
import { getObject, OBJECT_TYPES } from '@bulkops/objects';
import {
  buildZip,
  bulkops,
  type ApiDriver,
  cloneRecords,
  createOrganization,
  readZip,
  type Stack,
  startServices,
  stopServices,
  type TestContext,
  type TestOrganization,
  waitFor,
} from '@bulkops/testing';
import { csvRows, exportCursorReleased, stalledExportCursor } from './support/exports';

const EXAMPLE = join(__dirname, '..', '..', '..', 'examples', 'contact-center');

/** The type grown past the per-file limit, so the bundle holds parts of it. */
const LARGE_TYPE = 'user';

type Entry = { name: string; content: Buffer };

/**
 * Entries as names and content hashes: compared in an instant, where a deep comparison of large
 * buffers would hold the test's event loop for seconds (and with it the sockets it keeps alive).
 */
function digests(entries: readonly Entry[]): { name: string; sha256: string }[] {
  return entries.map((e) => ({
    name: e.name,
    sha256: createHash('sha256').update(e.content).digest('hex'),
  }));
}

/** The CSV type or media folder a bundle entry belongs to: `team-001.csv` → team, `audio-file/x.wav` → audio-file. */
function typeOf(entry: Entry): string {
  const folder = /^([^/]+)\//.exec(entry.name);
  if (folder) return folder[1];
  const csv = /^(.+?)(?:-\d{3})?\.csv$/.exec(entry.name);
  if (!csv) throw new Error(`unexpected bundle entry ${entry.name}`);
  return csv[1];
}

/**
 * `GET /v1/export` and `bulkops export-all` through the built services (spec/api.md "Bundles, org
 * export"): the example contact center (plus users past the per-file limit) exported as one bundle
 * that lists every type, holds each type's own export byte for byte, clones into an empty
 * organization whose export is byte-identical, re-imports into its own organization unchanged, is
 * open to viewers, and never shows another organization's records.
 */
describe('exporting a whole organization', () => {
  let context: TestContext;
  let stack: Stack;
  let api: ApiDriver;
  let original: TestOrganization;
  let bundle: Buffer;
  let entries: Entry[];
  let dir: string;

  const cli = (org: TestOrganization, ...args: string[]) =>
    bulkops(stack.gatewayUrl, org.adminToken, args, dir);

  async function exportOf(org: TestOrganization, token = org.adminToken): Promise<Buffer> {
    const answer = await api.download('/v1/export', token);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/zip');
    expect(answer.headers.get('content-disposition')).toBe(
      'attachment; filename="bulkops-export.zip"',
    );
    return answer.bytes;
  }

  /** Uploads some of a bundle's entries, as they are, as one bundle job into an organization. */
  async function importBundle(org: TestOrganization, parts: readonly Entry[]) {
    const job = await api.run(org.adminToken, 'bundle', {
      name: 'part.zip',
      content: await buildZip(parts),
    });
    expect(job.status).toBe(JobStatus.Completed);
    return job;
  }

  beforeAll(async () => {
    ({ context, stack, api } = await startServices());
    dir = await mkdtemp(join(tmpdir(), 'bulkops-org-export-'));
    original = await createOrganization(context.dataSource);
    await cli(original, 'import-dir', EXAMPLE);
    const [{ n }] = await context.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM "${getObject(LARGE_TYPE).table}" WHERE organization_id = $1`,
      [original.orgId],
    );
    await cloneRecords(context.dataSource, original.orgId, LARGE_TYPE, 5100 - n);
    bundle = await exportOf(original);
    entries = await readZip(bundle);
  }, 180_000);

  afterAll(() => stopServices({ context, stack }));

  it('lists every type in dependency order, past 5000 records in parts', () => {
    expect([...new Set(entries.map(typeOf))]).toEqual(OBJECT_TYPES.map((d) => d.type));
    const large = entries.filter((e) => typeOf(e) === LARGE_TYPE);
    expect(large.map((e) => ({ name: e.name, records: csvRows(e.content).length - 1 }))).toEqual([
      { name: `${LARGE_TYPE}-001.csv`, records: 5000 },
      { name: `${LARGE_TYPE}-002.csv`, records: 100 },
    ]);
    expect(entries.map((e) => e.name)).toEqual(
      expect.arrayContaining([
        'site.csv',
        'team.csv',
        'audio-file/audio-files.csv',
        'audio-file/welcome.wav',
      ]),
    );
  });

  it('is documented in the OpenAPI document', async () => {
    const docs = await api.get('/docs-json', null);
    const operation = docs.body.paths['/v1/export'].get;
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['200', '422', '503']));
    expect(Object.keys(operation.responses['200'].content)).toEqual(['application/zip']);
  });

  it("holds each type's own export byte for byte", async () => {
    for (const declaration of OBJECT_TYPES) {
      const own = await api.download(
        `/v1/objects/${declaration.type}/export`,
        original.viewerToken,
      );
      expect(own.status).toBe(200);
      const inBundle = entries.filter((e) => typeOf(e) === declaration.type);
      if (declaration.file === 'zip') {
        // The media export's files, in the same order, inside the type's folder.
        const expected = (await readZip(own.bytes)).map((e) => ({
          name: `${declaration.type}/${e.name}`,
          content: e.content,
        }));
        expect(digests(inBundle)).toEqual(digests(expected));
      } else if (own.headers.get('content-type') === 'application/zip') {
        expect(digests(inBundle)).toEqual(digests(await readZip(own.bytes)));
      } else {
        expect(digests(inBundle)).toEqual(
          digests([{ name: `${declaration.type}.csv`, content: own.bytes }]),
        );
      }
    }
  });

  it('comes out the same bytes each time, for admins and viewers alike', async () => {
    expect((await exportOf(original, original.viewerToken)).equals(bundle)).toBe(true);
  });

  it('clones into an empty organization, as one bundle job, whose export is byte-identical', async () => {
    const clone = await createOrganization(context.dataSource);
    const job = await api.run(clone.adminToken, 'bundle', { name: 'export.zip', content: bundle });
    expect({ status: job.status, failed: job.counts.failed }).toEqual({
      status: JobStatus.Completed,
      failed: 0,
    });
    expect(job.counts.created).toBe(job.counts.total);
    const cloned = await exportOf(clone);
    // On a difference, name the entries that differ before comparing the bytes.
    expect(digests(await readZip(cloned))).toEqual(digests(entries));
    expect(cloned.equals(bundle)).toBe(true);
  }, 300_000);

  it('re-imports into its own organization changing nothing', async () => {
    const job = await api.run(original.adminToken, 'bundle', {
      name: 'export.zip',
      content: bundle,
    });
    expect({ status: job.status, unchanged: job.counts.unchanged }).toEqual({
      status: JobStatus.Completed,
      unchanged: job.counts.total,
    });
    expect((await exportOf(original)).equals(bundle)).toBe(true);
  }, 300_000);

  it("never shows another organization's records: an empty one exports headers only", async () => {
    const other = await createOrganization(context.dataSource);
    const empty = await readZip(await exportOf(other, other.viewerToken));
    expect(empty.map((e) => e.name)).toEqual(
      OBJECT_TYPES.map((d) =>
        d.file === 'csv' ? `${d.type}.csv` : `${d.type}/${d.media.manifest}`,
      ),
    );
    for (const entry of empty) {
      const declaration = getObject(typeOf(entry));
      expect(csvRows(entry.content)).toEqual([[...declaration.header]]);
    }
  });

  it('refuses, before sending anything, a media type with more files than a bundle folder holds', async () => {
    const crowded = await createOrganization(context.dataSource);
    const audio = entries.filter((e) => typeOf(e) === 'audio-file');
    await importBundle(crowded, audio);
    await cloneRecords(context.dataSource, crowded.orgId, 'audio-file', 5001);
    const answer = await api.get('/v1/export', crowded.viewerToken);
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({ code: 'TOO_MANY_FILES', object: 'audio-file' });
  });

  it('bulkops export-all writes the same bytes to disk', async () => {
    const { stdout } = await cli(original, 'export-all', '--out', 'everything.zip');
    expect(stdout).toBe('wrote everything.zip\n');
    expect((await readFile(join(dir, 'everything.zip'))).equals(bundle)).toBe(true);
  });

  it('bulkops import-dir clones from the extracted bundle, and delete-dir empties the clone again', async () => {
    const extracted = join(dir, 'extracted');
    for (const entry of entries) {
      await mkdir(dirname(join(extracted, entry.name)), { recursive: true });
      await writeFile(join(extracted, entry.name), entry.content);
    }
    const clone = await createOrganization(context.dataSource);
    const imported = await cli(clone, 'import-dir', extracted);
    const lines = imported.stdout.trim().split('\n');
    // One bundle of a file per type and the large type's second part, one line per type.
    const files = OBJECT_TYPES.length + 1;
    expect(lines.at(-1)).toMatch(
      new RegExp(`^bundle of ${files} files +bundle +Completed .* 0 failed$`),
    );
    expect(lines.slice(0, -1).map((line) => line.split(/\s+/)[1])).toEqual(
      OBJECT_TYPES.map((d) => d.type),
    );
    for (const line of lines.slice(0, -1)) expect(line).toMatch(/ 0 failed$/);
    expect((await exportOf(clone)).equals(bundle)).toBe(true);

    const deleted = await cli(clone, 'delete-dir', extracted);
    expect(deleted.stdout.trim().split('\n').at(-1)).toBe(`deleted ${files} files`);
    const empty = await readZip(await exportOf(clone));
    for (const entry of empty)
      expect(csvRows(entry.content)).toEqual([[...getObject(typeOf(entry)).header]]);
  }, 300_000);

  it('gives back its snapshot, connection and slot when the client goes away mid-download', async () => {
    // Random text keeps the zip from compressing to less than the socket buffers hold, so a client
    // that stops reading really stalls the export part-way through the large type.
    const big = await createOrganization(context.dataSource);
    await importBundle(big, entries);
    await cloneRecords(context.dataSource, big.orgId, LARGE_TYPE, 150_000);
    const text = getObject(LARGE_TYPE).columns.find(
      (c) => !c.isKey && !c.kind.reference && c.kind.pgType === 'text',
    )!;
    await context.dataSource.query(
      `UPDATE "${getObject(LARGE_TYPE).table}" SET "${text.dbColumn}" = md5(random()::text) || md5(random()::text) WHERE organization_id = $1`,
      [big.orgId],
    );
    const openBundles = async () => {
      const metrics = await (await fetch(`${stack.gatewayUrl}/metrics`)).text();
      return Number(
        /^bulkops_export_connections\{[^}]*object="bundle"[^}]*\} (\S+)/m.exec(metrics)?.[1] ?? 0,
      );
    };

    const client = connect(Number(new URL(stack.gatewayUrl).port), '127.0.0.1');
    client.write(
      `GET /v1/export HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${big.viewerToken}\r\n\r\n`,
    );
    const [head] = (await once(client, 'data')) as [Buffer];
    expect(head.toString('latin1')).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    client.pause();
    const stalled = await stalledExportCursor(context.dataSource);
    expect(await openBundles()).toBe(1);

    client.destroy();
    expect(await exportCursorReleased(context.dataSource, stalled)).toBe(true);
    await waitFor('the gauge to drop', async () => (await openBundles()) === 0, 10_000);
    expect((await exportOf(original)).equals(bundle)).toBe(true);
  }, 300_000);
});
