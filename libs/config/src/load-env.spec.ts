import { IsInt, Min } from 'class-validator';
import { ErrorCode } from '@bulkops/contracts';
import {
  ConfigError,
  DatabaseEnv,
  HttpEnv,
  envName,
  loadEnv,
  QueueEnv,
  RedisEnv,
  Secret,
  StorageEnv,
} from './index';

class SampleEnv {
  @IsInt()
  @Min(1)
  sampleConcurrency: number = 2;

  @Secret()
  @IsInt()
  sampleApiSecret: number = 0;
}

describe('loadEnv', () => {
  it('maps camelCase properties to UPPER_SNAKE variables', () => {
    expect(envName('databaseUrl')).toBe('DATABASE_URL');
    expect(envName('jobLockTtlMs')).toBe('JOB_LOCK_TTL_MS');
  });

  it('applies the defaults of every class when nothing is set', () => {
    const loaded = loadEnv([DatabaseEnv, RedisEnv, QueueEnv], {});
    expect(loaded.get(DatabaseEnv).databaseUrl).toBe('postgres://postgres@localhost:5432/bulkops');
    expect(loaded.get(RedisEnv).redisUrl).toBe('redis://localhost:6379');
    expect(loaded.get(QueueEnv).queuePrefix).toBe('bulkops');
  });

  it('converts numbers and keeps given values', () => {
    const loaded = loadEnv([SampleEnv, QueueEnv], { SAMPLE_CONCURRENCY: '8', QUEUE_PREFIX: 'x-1' });
    expect(loaded.get(SampleEnv).sampleConcurrency).toBe(8);
    expect(loaded.get(QueueEnv).queuePrefix).toBe('x-1');
  });

  it('reports every problem of every class together and hides secrets', () => {
    let thrown: unknown;
    try {
      loadEnv([SampleEnv, RedisEnv, QueueEnv], {
        SAMPLE_CONCURRENCY: '0',
        SAMPLE_API_SECRET: 'hunter2',
        REDIS_URL: 'http://nope',
        QUEUE_PREFIX: 'bad:prefix',
      });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    const error = thrown as ConfigError;
    expect(error.code).toBe(ErrorCode.InvalidConfiguration);
    expect(error.problems).toHaveLength(4);
    expect(error.message).toContain("SAMPLE_CONCURRENCY must not be less than 1 (value: '0')");
    expect(error.message).toContain('REDIS_URL');
    expect(error.message).toContain('QUEUE_PREFIX');
    expect(error.message).toContain('SAMPLE_API_SECRET');
    expect(error.message).not.toContain('hunter2');
  });

  it('reads an optional number and leaves it unset when absent', () => {
    expect(loadEnv([HttpEnv], { PORT: '4100' }).get(HttpEnv).port).toBe(4100);
    expect(loadEnv([HttpEnv], {}).get(HttpEnv).port).toBeUndefined();
  });

  it('returns frozen instances', () => {
    const loaded = loadEnv([QueueEnv], {});
    expect(Object.isFrozen(loaded.get(QueueEnv))).toBe(true);
  });

  it('reads the local directory by default and an S3 store from STORAGE_URL', () => {
    expect(loadEnv([StorageEnv], {}).get(StorageEnv)).toMatchObject({
      storageDir: './var/storage',
      storageUrl: undefined,
      storageS3ForcePathStyle: false,
    });
    const s3 = loadEnv([StorageEnv], {
      STORAGE_URL: 's3://bulkops-uploads/prod',
      STORAGE_S3_ENDPOINT: 'http://minio:9000',
      STORAGE_S3_FORCE_PATH_STYLE: 'true',
      STORAGE_S3_ACCESS_KEY_ID: 'bulkops',
      STORAGE_S3_SECRET_ACCESS_KEY: 'minio-secret',
    }).get(StorageEnv);
    expect(s3).toMatchObject({
      storageUrl: 's3://bulkops-uploads/prod',
      storageS3Endpoint: 'http://minio:9000',
      storageS3ForcePathStyle: true,
      storageS3Region: 'us-east-1',
    });
    expect(
      loadEnv([StorageEnv], { STORAGE_URL: 's3://b1x', STORAGE_S3_FORCE_PATH_STYLE: 'false' }).get(
        StorageEnv,
      ).storageS3ForcePathStyle,
    ).toBe(false);
  });

  it('refuses a bad store URL, a flag that is not true/false and S3 settings without a store', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadEnv([StorageEnv], env);
        return [];
      } catch (error) {
        return (error as ConfigError).problems;
      }
    };
    expect(problems({ STORAGE_URL: 'https://bucket/prefix' })).toEqual([
      expect.stringContaining('STORAGE_URL must be s3://<bucket>[/<prefix>]'),
    ]);
    expect(problems({ STORAGE_URL: 's3://bucket', STORAGE_S3_FORCE_PATH_STYLE: 'yes' })).toEqual([
      expect.stringContaining('STORAGE_S3_FORCE_PATH_STYLE must be true or false'),
    ]);
    expect(problems({ STORAGE_S3_ENDPOINT: 'http://minio:9000' })).toEqual([
      expect.stringContaining(
        'STORAGE_URL must be s3://<bucket>[/<prefix>] when STORAGE_S3_ENDPOINT',
      ),
    ]);
    const halfPair = problems({
      STORAGE_URL: 's3://bucket',
      STORAGE_S3_SECRET_ACCESS_KEY: 'minio-secret',
    });
    expect(halfPair).toEqual([
      expect.stringContaining('set both STORAGE_S3_ACCESS_KEY_ID and STORAGE_S3_SECRET_ACCESS_KEY'),
    ]);
    expect(halfPair.join('\n')).not.toContain('minio-secret');
  });
});
