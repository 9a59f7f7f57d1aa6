import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RunNames, testEnv } from './test-env';

/** The part of s3rver (the S3 REST API over a local directory) the harness uses; it ships no types. */
interface S3rver {
  httpServer?: Server;
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}

type S3rverClass = new (options: {
  address: string;
  port: number;
  silent: boolean;
  directory: string;
  configureBuckets: { name: string }[];
}) => S3rver;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require('s3rver') as S3rverClass;

/** A real S3 API server for one test file, and the env that points bulkops at it. */
export interface S3Server {
  readonly endpoint: string;
  readonly bucket: string;
  /** Where the server keeps the bucket's files (`<directory>/<bucket>/…`). */
  readonly directory: string;
  /** STORAGE_URL and the STORAGE_S3_* variables of a store under a fresh prefix of the bucket. */
  readonly env: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

/**
 * Starts s3rver (the S3 REST API over a local directory, signatures checked) on a free loopback
 * port with one bucket. Services started with `env` use it through the AWS SDK exactly as they use
 * AWS S3 or MinIO.
 */
export async function startS3Server(): Promise<S3Server> {
  const run = testEnv().bulkopsTestRun || 'adhoc';
  const directory = await mkdtemp(join(tmpdir(), `${RunNames.storagePrefix(run)}s3-`));
  const bucket = 'bulkops-test';
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    bucket,
    directory,
    env: {
      STORAGE_URL: `s3://${bucket}/t-${randomBytes(4).toString('hex')}`,
      STORAGE_S3_ENDPOINT: endpoint,
      STORAGE_S3_REGION: 'us-east-1',
      STORAGE_S3_FORCE_PATH_STYLE: 'true',
      // s3rver's fixed test credentials.
      STORAGE_S3_ACCESS_KEY_ID: 'S3RVER',
      STORAGE_S3_SECRET_ACCESS_KEY: 'S3RVER',
    },
    async close() {
      server.httpServer?.closeAllConnections();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
