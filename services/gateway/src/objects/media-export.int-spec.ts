import { createHash } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { Open } from 'unzipper';
import { ObjectRecordsRepository } from '@bulkops/database';
import { getObject, type MediaDeclaration } from '@bulkops/objects';
import { LocalStorage, StorageKeys, type StorageService } from '@bulkops/storage';
import {
  type ApiDriver,
  buildWav,
  buildZip,
  createOrganization,
  startServices,
  stopServices,
  fixturesOf,
  parseCsv,
  type Stack,
  type TestContext,
  type TestOrganization,
} from '@bulkops/testing';
import { MediaExportService } from './media-export.service';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** The entries of a zip: name → bytes. */
async function unzip(zip: Buffer): Promise<Record<string, Buffer>> {
  const opened = await Open.buffer(zip);
  return Object.fromEntries(
    await Promise.all(opened.files.map(async (f) => [f.path, await f.buffer()] as const)),
  );
}

/** The export of media types, read back: every exported zip is an upload that changes nothing. */
describe('MediaExportService', () => {
  const audioFile = getObject('audio-file') as MediaDeclaration;
  let context: TestContext;
  let stack: Stack;
  let api: ApiDriver;
  let storage: StorageService;
  let exports: MediaExportService;

  beforeAll(async () => {
    ({ context, stack, api } = await startServices());
    storage = new LocalStorage(context.storageDir);
    exports = new MediaExportService(new ObjectRecordsRepository(context.dataSource), storage);
  });

  afterAll(() => stopServices({ context, stack }));

  async function exported(org: TestOrganization): Promise<Buffer> {
    const chunks: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk);
        callback();
      },
    });
    const download = exports.export(org.orgId, audioFile);
    expect(download).toMatchObject({ fileName: 'audio-file.zip', contentType: 'application/zip' });
    await download.writeTo(sink);
    return Buffer.concat(chunks);
  }

  it('exports the stored .wav files and audio-files.csv sorted by name, and the export re-imports as unchanged', async () => {
    const org = await createOrganization(context.dataSource);
    const fixtures = fixturesOf('audio-file')!;
    const uploaded = await unzip(fixtures.valid);
    const formula = buildWav({ seed: 40 });
    expect(
      (await api.run(org.adminToken, 'audio-file', { name: 'valid.zip', content: fixtures.valid }))
        .status,
    ).toBe('COMPLETED');
    // A description a spreadsheet would run as a formula is neutralised on export and restored on import.
    const renamed = await buildZip([
      { name: 'audio-files.csv', content: 'Name,Description\nquiet.wav,"=quiet, -6 dB"\n' },
      { name: 'quiet.wav', content: formula },
    ]);
    expect(
      (await api.run(org.adminToken, 'audio-file', { name: 'quiet.zip', content: renamed })).counts,
    ).toMatchObject({ created: 1 });

    const zip = await exported(org);
    const entries = await unzip(zip);
    expect(Object.keys(entries).sort()).toEqual([
      'after-hours-stereo.wav',
      'audio-files.csv',
      'defaultmusic_on_hold.wav',
      'menu-8bit.wav',
      'quiet.wav',
      'survey.wav',
      'welcome.wav',
    ]);
    for (const name of Object.keys(uploaded).filter((n) => n.endsWith('.wav')))
      expect(sha256(entries[name])).toBe(sha256(uploaded[name]));
    expect(entries['quiet.wav']).toEqual(formula);
    expect(entries['audio-files.csv'].toString('utf8').startsWith('\uFEFF')).toBe(true);
    expect(parseCsv(entries['audio-files.csv'].toString('utf8').replace(/^\uFEFF/, ''))).toEqual([
      ['Name', 'Description', 'Action'],
      ['after-hours-stereo.wav', '', ''],
      ['defaultmusic_on_hold.wav', 'Music on hold (G.711 A-law)', ''],
      ['menu-8bit.wav', '', ''],
      ['quiet.wav', "'=quiet, -6 dB", ''],
      ['survey.wav', 'Post-call survey, 16-bit PCM', ''],
      ['welcome.wav', 'Greeting played on every inbound call', ''],
    ]);

    const again = await api.run(org.adminToken, 'audio-file', {
      name: 'audio-file.zip',
      content: zip,
    });
    expect(again).toMatchObject({
      status: 'COMPLETED',
      counts: { total: 6, unchanged: 6, created: 0, updated: 0, failed: 0 },
    });
  });

  it('exports a template-like zip for an organization without audio files', async () => {
    const org = await createOrganization(context.dataSource);
    const entries = await unzip(await exported(org));
    expect(Object.keys(entries)).toEqual(['audio-files.csv']);
    expect(entries['audio-files.csv'].toString('utf8')).toBe('\uFEFFName,Description,Action\r\n');
  });

  it('past 5000 files, exports an outer zip of uploads of at most 5000 files each', async () => {
    const org = await createOrganization(context.dataSource);
    const bytes = buildWav({ seed: 50 });
    const sha = sha256(bytes);
    // Rows first, then their bytes: status' blob collection, running beside this test, removes
    // kept bytes that no row names (the worker writes both under the blob lock instead).
    await context.dataSource.query(
      `INSERT INTO audio_file (organization_id, key_norm, key_display, name, description, sha256, size_bytes, encoding, sample_rate, channels, bits_per_sample)
       SELECT $1, n, n, n, NULL, $2, $3, 'MULAW', 8000, 1, 8 FROM (SELECT format('p%s.wav', lpad(i::text, 5, '0')) AS n FROM generate_series(1, 5001) i) s`,
      [org.orgId, sha, bytes.length],
    );
    await storage.put(StorageKeys.blob(org.orgId, 'audio-file', sha), Readable.from([bytes]));

    const outer = await unzip(await exported(org));
    expect(Object.keys(outer)).toEqual(['audio-file-001.zip', 'audio-file-002.zip']);
    const first = await unzip(outer['audio-file-001.zip']);
    expect(Object.keys(first)).toHaveLength(5001);
    expect(first['p00001.wav']).toEqual(bytes);
    expect(first['p05000.wav']).toEqual(bytes);
    const manifest = parseCsv(first['audio-files.csv'].toString('utf8').replace(/^\uFEFF/, ''));
    expect(manifest).toHaveLength(5001);
    expect(manifest.at(-1)).toEqual(['p05000.wav', '', '']);
    const second = await unzip(outer['audio-file-002.zip']);
    expect(Object.keys(second).sort()).toEqual(['audio-files.csv', 'p05001.wav']);

    const part = await api.run(org.adminToken, 'audio-file', {
      name: 'audio-file-002.zip',
      content: outer['audio-file-002.zip'],
    });
    expect(part).toMatchObject({ status: 'COMPLETED', counts: { total: 1, unchanged: 1 } });
  });
});
