import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

/** Postgres, the system of record. */
export class DatabaseEnv {
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'databaseUrl must be a postgres:// URL' })
  databaseUrl: string = 'postgres://postgres@localhost:5432/bulkops';

  /** Connections per process; every service keeps its own pool. */
  @IsInt()
  @Min(1)
  @Max(100)
  databasePoolSize: number = 10;
}

/** Redis, home of the queues and the organization locks. */
export class RedisEnv {
  @Matches(/^rediss?:\/\/\S+$/, { message: 'redisUrl must be a redis:// or rediss:// URL' })
  redisUrl: string = 'redis://localhost:6379';
}

/** The BullMQ key prefix; several stacks (and test runs) can share one Redis through it. */
export class QueueEnv {
  @Matches(/^[A-Za-z0-9_.-]{1,64}$/, {
    message: 'queuePrefix must be 1-64 letters, digits, dots, dashes or underscores',
  })
  queuePrefix: string = 'bulkops';
}

/** Where uploads and audio files live: a directory shared by gateway, ingest and worker. */
export class StorageEnv {
  @IsString()
  storageDir: string = './var/storage';
}

/** The port of a service's HTTP listener (API on the gateway, health and metrics everywhere). */
export class HttpEnv {
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(65535)
  port?: number = undefined;
}

/** Logging. */
export class LogEnv {
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  logLevel: string = 'info';
}

/** The per-organization job lock shared by gateway (takes it) and status (renews, releases). */
export class LockEnv {
  /** How long a lock outlives the last sign of progress; status renews it while the job moves. */
  @IsInt()
  @Min(1000)
  jobLockTtlMs: number = 300_000;
}
