import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Open } from 'unzipper';
import { StorageKeys } from '@bulkops/storage';
import {
  type ApiDriver,
  buildWav,
  buildZip,
  createOrganization,
  mp3Bytes,
  type Stack,
  WavFormat,
  type TestContext,
  type TestOrganization,
  startServices,
  stopServices,
} from '@bulkops/testing';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const CONVERT = 'convert the file (e.g. sox in.wav -r 8000 -c 1 -e u-law out.wav)';
const REPORT_HEADER = [
  'Name',
  'Description',
  'Action',
  'Source File',
  'Source Row',
  'Error Message',
];

/** Audio uploads end to end (objects.md §17): zips of .wav files through the running services. */
describe('audio files through the running services', () => {
  let context: TestContext;
  let stack: Stack;
  let api: ApiDriver;

  beforeAll(async () => {
    ({ context, stack, api } = await startServices());
  });

  afterAll(() => stopServices({ context, stack }));

  const manifest = (...lines: string[]) =>
    `Name,Description,Action\r\n${lines.map((l) => `${l}\r\n`).join('')}`;

  async function upload(
    org: TestOrganization,
    entries: { name: string; content: string | Buffer }[],
    mode?: string,
  ) {
    return api.run(
      org.adminToken,
      'audio-file',
      { name: 'prompts.zip', content: await buildZip(entries) },
      mode ? { mode } : {},
    );
  }

  async function rows(org: TestOrganization) {
    return context.dataSource.query(
      `SELECT id, name, description, sha256, size_bytes, encoding, sample_rate, channels, bits_per_sample
         FROM audio_file WHERE organization_id = $1 ORDER BY key_norm`,
      [org.orgId],
    );
  }

  /** The organization's kept audio blobs: sha256 → bytes. */
  async function blobs(org: TestOrganization): Promise<Record<string, Buffer>> {
    const dir = join(context.storageDir, dirname(StorageKeys.blob(org.orgId, 'audio-file', 'x')));
    const names = await readdir(dir).catch(() => [] as string[]);
    const found: Record<string, Buffer> = {};
    for (const name of names) found[name] = await readFile(join(dir, name));
    return found;
  }

  it('accepts G.711 µ-law, G.711 A-law and 8- and 16-bit PCM files and keeps each file’s exact bytes', async () => {
    const org = await createOrganization(context.dataSource);
    const files = {
      'welcome.wav': buildWav({ formatTag: WavFormat.MULAW, seed: 1 }),
      'alaw.wav': buildWav({ formatTag: WavFormat.ALAW, seed: 2 }),
      'pcm16.wav': buildWav({ formatTag: WavFormat.PCM, bitsPerSample: 16, seed: 3 }),
      'pcm8-stereo.wav': buildWav({
        formatTag: WavFormat.PCM,
        bitsPerSample: 8,
        channels: 2,
        seed: 4,
      }),
    };
    const job = await upload(org, [
      { name: 'audio-files.csv', content: manifest('Welcome.wav,Greeting,') },
      ...Object.entries(files).map(([name, content]) => ({ name, content })),
    ]);
    expect(job).toMatchObject({
      status: 'COMPLETED',
      counts: { total: 4, created: 4, failed: 0 },
      files: [{ name: 'prompts.zip', rows: 4 }],
    });
    expect(await rows(org)).toEqual([
      {
        id: expect.any(String),
        name: 'alaw.wav',
        description: null,
        sha256: sha256(files['alaw.wav']),
        size_bytes: files['alaw.wav'].length,
        encoding: 'ALAW',
        sample_rate: 8000,
        channels: 1,
        bits_per_sample: 8,
      },
      {
        id: expect.any(String),
        name: 'pcm16.wav',
        description: null,
        sha256: sha256(files['pcm16.wav']),
        size_bytes: files['pcm16.wav'].length,
        encoding: 'PCM',
        sample_rate: 8000,
        channels: 1,
        bits_per_sample: 16,
      },
      {
        id: expect.any(String),
        name: 'pcm8-stereo.wav',
        description: null,
        sha256: sha256(files['pcm8-stereo.wav']),
        size_bytes: files['pcm8-stereo.wav'].length,
        encoding: 'PCM',
        sample_rate: 8000,
        channels: 2,
        bits_per_sample: 8,
      },
      // The manifest's spelling created the object; its description came from the manifest.
      {
        id: expect.any(String),
        name: 'Welcome.wav',
        description: 'Greeting',
        sha256: sha256(files['welcome.wav']),
        size_bytes: files['welcome.wav'].length,
        encoding: 'MULAW',
        sample_rate: 8000,
        channels: 1,
        bits_per_sample: 8,
      },
    ]);
    expect(await blobs(org)).toEqual(
      Object.fromEntries(Object.values(files).map((bytes) => [sha256(bytes), bytes])),
    );
  });

  it('rejects a renamed MP3, a 16 kHz file, a truncated header, a file over 10 MB and a nested path, each with its own message, keeping none', async () => {
    const org = await createOrganization(context.dataSource);
    const good = buildWav({ seed: 7 });
    const job = await upload(org, [
      { name: 'good.wav', content: good },
      { name: 'song.wav', content: mp3Bytes() },
      { name: 'wideband.wav', content: buildWav({ formatTag: WavFormat.PCM, sampleRate: 16000 }) },
      { name: 'stub.wav', content: good.subarray(0, 40) },
      { name: 'long.wav', content: buildWav({ frames: 10 * 1024 * 1024 }) },
      { name: 'prompts/menu.wav', content: good },
    ]);
    expect(job).toMatchObject({
      status: 'COMPLETED_WITH_ERRORS',
      counts: { total: 6, created: 1, failed: 5 },
    });
    expect(await api.errorRows(org.adminToken, job.id)).toEqual([
      REPORT_HEADER,
      [
        'long.wav',
        '',
        '',
        'long.wav',
        '',
        `long.wav: the file is 10485804 bytes (more than 10485760); an audio file may be at most 10 MB (about 20 minutes of 8 kHz µ-law) — shorten the prompt or ${CONVERT}`,
      ],
      [
        'prompts/menu.wav',
        '',
        '',
        'prompts/menu.wav',
        '',
        'prompts/menu.wav: the file is inside a folder of the zip; put the .wav files at the top level of the zip, next to audio-files.csv',
      ],
      [
        'song.wav',
        '',
        '',
        'song.wav',
        '',
        "song.wav: the file starts with 'ID3' instead of 'RIFF', so it is not a WAV file (the name alone does not make one); convert the file (e.g. sox in.mp3 -r 8000 -c 1 -e u-law out.wav)",
      ],
      [
        'stub.wav',
        '',
        '',
        'stub.wav',
        '',
        'stub.wav: the file ends after 40 bytes, inside its WAV header, so it is incomplete; export or copy the file again',
      ],
      [
        'wideband.wav',
        '',
        '',
        'wideband.wav',
        '',
        `wideband.wav: the sample rate is 16000 Hz; telephony prompts must be 8000 Hz — ${CONVERT}`,
      ],
    ]);
    expect((await rows(org)).map((r: { name: string }) => r.name)).toEqual(['good.wav']);
    expect(Object.keys(await blobs(org))).toEqual([sha256(good)]);
  });

  it('counts the same bytes and description unchanged, replaces new bytes in place and keeps the description of a file without a manifest row', async () => {
    const org = await createOrganization(context.dataSource);
    const first = buildWav({ seed: 11 });
    const entries = [
      { name: 'audio-files.csv', content: manifest('welcome.wav,Hello,') },
      { name: 'welcome.wav', content: first },
      { name: 'queue-music.wav', content: buildWav({ formatTag: WavFormat.ALAW, seed: 12 }) },
    ];
    expect((await upload(org, entries)).counts).toMatchObject({ created: 2, failed: 0 });
    const [, before] = await rows(org);

    const again = await upload(org, entries);
    expect(again).toMatchObject({
      status: 'COMPLETED',
      counts: { total: 2, unchanged: 2, created: 0, updated: 0 },
    });

    const second = buildWav({ formatTag: WavFormat.PCM, bitsPerSample: 16, seed: 13 });
    const replaced = await upload(org, [{ name: 'welcome.wav', content: second }]);
    expect(replaced).toMatchObject({
      status: 'COMPLETED',
      counts: { total: 1, updated: 1, created: 0, unchanged: 0 },
    });
    const [, after] = await rows(org);
    expect(after).toEqual({
      ...before,
      sha256: sha256(second),
      size_bytes: second.length,
      encoding: 'PCM',
      bits_per_sample: 16,
    });
    // The replaced bytes are gone; the new ones are kept.
    const kept = await blobs(org);
    expect(kept[sha256(second)]).toEqual(second);
    expect(kept[sha256(first)]).toBeUndefined();

    const described = await upload(org, [
      { name: 'audio-files.csv', content: manifest('welcome.wav,Hello again,') },
      { name: 'welcome.wav', content: second },
    ]);
    expect(described.counts).toMatchObject({ updated: 1 });
    expect((await rows(org))[1]).toMatchObject({
      id: before.id,
      description: 'Hello again',
      sha256: sha256(second),
    });
  });

  it('deletes files named by DELETE rows and removes bytes once no file names them', async () => {
    const org = await createOrganization(context.dataSource);
    const shared = buildWav({ seed: 21 });
    const job = await upload(org, [
      { name: 'a.wav', content: shared },
      { name: 'b.wav', content: shared },
    ]);
    expect(job.counts).toMatchObject({ created: 2 });
    expect(Object.keys(await blobs(org))).toEqual([sha256(shared)]);

    const first = await upload(org, [
      { name: 'audio-files.csv', content: manifest('A.WAV,,DELETE', 'ghost.wav,,delete') },
    ]);
    expect(first).toMatchObject({
      status: 'COMPLETED_WITH_ERRORS',
      counts: { total: 2, deleted: 1, failed: 1 },
    });
    expect((await api.errorRows(org.adminToken, first.id)).slice(1)).toEqual([
      [
        'ghost.wav',
        '',
        'delete',
        'audio-files.csv',
        '3',
        "Name: no audio file 'ghost.wav' exists, so it cannot be deleted; check the name",
      ],
    ]);
    expect((await rows(org)).map((r: { name: string }) => r.name)).toEqual(['b.wav']);
    // b.wav still names the same bytes.
    expect(Object.keys(await blobs(org))).toEqual([sha256(shared)]);

    const second = await upload(org, [
      { name: 'audio-files.csv', content: manifest('b.wav,,DELETE') },
    ]);
    expect(second).toMatchObject({ status: 'COMPLETED', counts: { total: 1, deleted: 1 } });
    expect(await rows(org)).toEqual([]);
    expect(await blobs(org)).toEqual({});
  });

  it('validates an audio upload with the outcome apply would have, keeping no row and no bytes', async () => {
    const org = await createOrganization(context.dataSource);
    const entries = [
      { name: 'audio-files.csv', content: manifest('welcome.wav,Hello,') },
      { name: 'welcome.wav', content: buildWav({ seed: 31 }) },
      { name: 'song.wav', content: mp3Bytes() },
    ];
    const validated = await upload(org, entries, 'validate');
    expect(validated).toMatchObject({
      mode: 'validate',
      status: 'COMPLETED_WITH_ERRORS',
      counts: { total: 2, created: 1, failed: 1 },
    });
    expect(await rows(org)).toEqual([]);
    expect(await blobs(org)).toEqual({});
    const applied = await upload(org, entries);
    expect(applied.counts).toEqual(validated.counts);
    expect((await rows(org)).map((r: { name: string }) => r.name)).toEqual(['welcome.wav']);
  });

  it('fails an upload of more than 5000 files, and one with no files, before reading any audio', async () => {
    const org = await createOrganization(context.dataSource);
    const many = await upload(
      org,
      Array.from({ length: 5001 }, (_, i) => ({ name: `p${i}.wav`, content: '' })),
    );
    expect(many).toMatchObject({
      status: 'FAILED',
      failure: {
        code: 'TOO_MANY_FILES',
        message:
          'prompts.zip holds 5001 files besides the manifest; the limit is 5000 .wav files per zip, so split it into several uploads',
        file: 'prompts.zip',
      },
    });
    const empty = await upload(org, []);
    expect(empty).toMatchObject({
      status: 'FAILED',
      failure: { code: 'EMPTY_FILE', file: 'prompts.zip' },
    });
    expect(await rows(org)).toEqual([]);
  });

  it('serves the template as a zip holding only the manifest header', async () => {
    const org = await createOrganization(context.dataSource);
    const response = await fetch(`${stack.gatewayUrl}/v1/objects/audio-file/template`, {
      headers: { authorization: `Bearer ${org.viewerToken}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="audio-file-template.zip"',
    );
    const zip = await Open.buffer(Buffer.from(await response.arrayBuffer()));
    expect(
      await Promise.all(zip.files.map(async (f) => [f.path, (await f.buffer()).toString('utf8')])),
    ).toEqual([['audio-files.csv', '\uFEFFName,Description,Action\r\n']]);
  });
});
