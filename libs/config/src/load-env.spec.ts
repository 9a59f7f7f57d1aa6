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
});
