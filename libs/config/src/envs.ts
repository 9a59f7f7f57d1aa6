import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  Validate,
  ValidatorConstraint,
  type ValidationArguments,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { Secret } from './secret.decorator';

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

/** An env flag: `true` or `false` (anything else fails validation instead of counting as true). */
function Flag(): PropertyDecorator {
  return Transform(({ obj, key }) => {
    const raw = (obj as Record<string, unknown>)[key];
    return raw === 'true' || raw === true ? true : raw === 'false' || raw === false ? false : raw;
  });
}

const S3_URL = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/\S*)?$/;

/**
 * STORAGE_URL is unset (the local directory) or s3://bucket[/prefix]. The S3 settings only make
 * sense with an s3:// URL, and the access key id and secret come as a pair.
 */
@ValidatorConstraint({ name: 'storageUrl' })
class StorageUrl implements ValidatorConstraintInterface {
  private problem(env: StorageEnv): string | null {
    if (env.storageUrl === undefined) {
      return env.storageS3Endpoint || env.storageS3AccessKeyId || env.storageS3SecretAccessKey
        ? 'storageUrl must be s3://<bucket>[/<prefix>] when STORAGE_S3_ENDPOINT or STORAGE_S3_ACCESS_KEY_ID/SECRET_ACCESS_KEY are set'
        : null;
    }
    if (!S3_URL.test(env.storageUrl)) {
      return 'storageUrl must be s3://<bucket>[/<prefix>] (or unset for the local directory)';
    }
    if (Boolean(env.storageS3AccessKeyId) !== Boolean(env.storageS3SecretAccessKey)) {
      return 'storageUrl: set both STORAGE_S3_ACCESS_KEY_ID and STORAGE_S3_SECRET_ACCESS_KEY, or neither (the AWS SDK then finds credentials itself)';
    }
    return null;
  }

  validate(_value: unknown, args: ValidationArguments): boolean {
    return this.problem(args.object as StorageEnv) === null;
  }

  defaultMessage(args: ValidationArguments): string {
    return this.problem(args.object as StorageEnv) ?? '';
  }
}

/**
 * Where uploads and audio files live. Without STORAGE_URL: a local directory (one machine, or a
 * volume shared by gateway, ingest and worker). With `STORAGE_URL=s3://bucket/prefix`: any
 * S3-compatible object store (AWS S3, MinIO, R2, GCS interoperability); credentials fall back to
 * the AWS SDK's own chain (web identity, instance role) when the key pair is not set.
 */
export class StorageEnv {
  @IsString()
  storageDir: string = './var/storage';

  @Validate(StorageUrl)
  storageUrl?: string = undefined;

  /** The S3 API endpoint of a store other than AWS (MinIO: http://minio:9000). */
  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: 'storageS3Endpoint must be an http(s):// URL' })
  storageS3Endpoint?: string = undefined;

  @IsString()
  storageS3Region: string = 'us-east-1';

  /** `true` for stores that address buckets by path (MinIO, most self-hosted ones). */
  @Flag()
  @IsBoolean({ message: 'storageS3ForcePathStyle must be true or false' })
  storageS3ForcePathStyle: boolean = false;

  @IsOptional()
  @IsString()
  storageS3AccessKeyId?: string = undefined;

  @Secret()
  @IsOptional()
  @IsString()
  storageS3SecretAccessKey?: string = undefined;
}

/** How long a service may take to stop after SIGTERM before it exits anyway. */
export class ShutdownEnv {
  /**
   * Work in flight (an upload, a chunk, an ingest) gets this long to finish. Keep it below the
   * orchestrator's kill deadline (Kubernetes' terminationGracePeriodSeconds).
   */
  @IsInt()
  @Min(0)
  shutdownGraceMs: number = 25_000;
}

/** The port of a service's HTTP listener (API on the gateway, health and metrics everywhere). */
export class HttpEnv {
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(65535)
  port?: number = undefined;

  /**
   * How long an idle keep-alive connection stays open. Node's 5 s default is shorter than what
   * clients and load balancers assume (commonly 60 s), so the server closed connections they were
   * about to reuse, and they saw "other side closed" for a request the server never read.
   */
  @IsInt()
  @Min(1000)
  httpKeepAliveTimeoutMs: number = 65_000;
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

  /**
   * How long the lock outlives the gateway that is receiving an upload (it renews it every third of
   * this while bytes arrive). A gateway killed mid-upload blocks its organization this long, not
   * for JOB_LOCK_TTL_MS: until the job is in Postgres, only the receiving process vouches for it.
   */
  @IsInt()
  @Min(1000)
  jobLockUploadTtlMs: number = 15_000;
}

/**
 * Webhook targets. Deliveries never go to loopback, link-local or private addresses (the gateway
 * checks a URL when it is registered, the status service checks the resolved addresses again at
 * each send, against DNS rebinding) unless the operator allows them: a test stack, or an
 * installation whose receivers live on its own private network.
 */
export class WebhookEnv {
  @Flag()
  @IsBoolean({ message: 'webhookAllowPrivate must be true or false' })
  webhookAllowPrivate: boolean = false;
}
