import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { loadEnv, StorageEnv } from '@bulkops/config';
import { createStorage, StorageKeys, type StorageService } from '@bulkops/storage';
import {
  type ApiDriver,
  buildWav,
  buildZip,
  createOrganization,
  readZip,
  startS3Server,
  startServices,
  stopServices,
  type S3Server,
  type Stack,
  type TestContext,
  WavFormat,
} from '@bulkops/testing';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/**
 * The same journey on both storage adapters, through the built services: a CSV, a zip of CSVs, an
 * audio zip, the audio export and an error file. The S3 run talks to a real S3 API server (s3rver)
 * through the AWS SDK, and the services' local storage directory stays empty.
 */
describe.each(['local', 's3'] as const)('the import journey on %s storage', (kind) => {
  let context: TestContext;
  let stack: Stack;
  let api: ApiDriver;
  let s3: S3Server | null = null;
  let storage: StorageService;

  beforeAll(async () => {
    s3 = kind === 's3' ? await startS3Server() : null;
    ({ context, stack, api } = await startServices({ env: s3?.env ?? {} }));
    storage = await createStorage(
      loadEnv([StorageEnv], { ...context.env, ...s3?.env }).get(StorageEnv),
    );
  });

  afterAll(async () => {
    await stopServices({ context, stack });
    await s3?.close();
  });

  it('imports a CSV, a zip and audio files, exports the audio byte for byte and serves the error file', async () => {
    const org = await createOrganization(context.dataSource);

    const sites = await api.run(org.adminToken, 'site', {
      name: 'sites.csv',
      content: 'Name,Multimedia Profile\r\nAustin,MMP\r\nDenver,MMP\r\n,MMP Nameless\r\n',
    });
    expect(sites).toMatchObject({
      status: 'COMPLETED_WITH_ERRORS',
      counts: { total: 3, created: 2, failed: 1 },
    });
    const errors = await api.errorRows(org.adminToken, sites.id);
    expect(errors).toHaveLength(2);
    expect(errors[1].slice(0, 2)).toEqual(['', 'MMP Nameless']);

    const teams = await api.run(org.adminToken, 'team', {
      name: 'teams.zip',
      content: await buildZip([
        { name: 'austin.csv', content: 'Name,Site,Type\r\nSales,Austin,AGENT\r\n' },
        {
          name: 'denver.csv',
          content: 'Name,Site,Type\r\nSales,Denver,AGENT\r\nOps,Denver,AGENT\r\n',
        },
      ]),
    });
    expect(teams).toMatchObject({
      status: 'COMPLETED',
      counts: { total: 3, created: 3, failed: 0 },
      files: [
        { name: 'austin.csv', rows: 1 },
        { name: 'denver.csv', rows: 2 },
      ],
    });

    const audio = {
      'welcome.wav': buildWav({ formatTag: WavFormat.MULAW, seed: 11 }),
      'hold.wav': buildWav({ formatTag: WavFormat.PCM, bitsPerSample: 16, seed: 12 }),
    };
    const imported = await api.run(org.adminToken, 'audio-file', {
      name: 'prompts.zip',
      content: await buildZip([
        {
          name: 'audio-files.csv',
          content: 'Name,Description,Action\r\nwelcome.wav,Greeting,\r\n',
        },
        ...Object.entries(audio).map(([name, content]) => ({ name, content })),
      ]),
    });
    expect(imported).toMatchObject({ status: 'COMPLETED', counts: { total: 2, created: 2 } });
    for (const bytes of Object.values(audio)) {
      expect(await storage.size(StorageKeys.blob(org.orgId, 'audio-file', sha256(bytes)))).toBe(
        bytes.length,
      );
    }

    const exported = await api.download('/v1/objects/audio-file/export', org.adminToken);
    expect(exported.status).toBe(200);
    const entries = new Map((await readZip(exported.bytes)).map((e) => [e.name, e.content]));
    expect(entries.get('welcome.wav')?.equals(audio['welcome.wav'])).toBe(true);
    expect(entries.get('hold.wav')?.equals(audio['hold.wav'])).toBe(true);

    const local = await readdir(context.storageDir);
    if (kind === 's3') expect(local).toEqual([]);
    else expect(local).toEqual(expect.arrayContaining(['orgs']));
  });
});
