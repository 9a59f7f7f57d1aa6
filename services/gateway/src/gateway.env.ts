import { IsInt, Min } from 'class-validator';

/**
 * Upload limits of the gateway (spec/api.md: 200 MB for a zip, 10 MB for a CSV), and how many
 * exports it streams at once.
 */
export class GatewayEnv {
  @IsInt()
  @Min(1)
  gatewayMaxZipBytes: number = 200 * 1024 * 1024;

  @IsInt()
  @Min(1)
  gatewayMaxCsvBytes: number = 10 * 1024 * 1024;

  /**
   * Exports streamed at once by one gateway. Each holds a database connection until its client has
   * downloaded everything, so keep this below DATABASE_POOL_SIZE; more answer 503, retryable.
   */
  @IsInt()
  @Min(1)
  gatewayMaxConcurrentExports: number = 4;

  /**
   * Server-Sent Event streams (job and organization events) one gateway holds open at once. A
   * stream holds no database connection while it waits, only a socket and a subscription; more
   * answer 503, retryable.
   */
  @IsInt()
  @Min(1)
  gatewayMaxEventStreams: number = 1000;

  /** How often an idle event stream sends a comment, so proxies keep it open and dead clients show. */
  @IsInt()
  @Min(100)
  gatewayEventHeartbeatMs: number = 15_000;

  /** How long a queue-board session (`POST /admin/session`) lasts before the dashboard renews it. */
  @IsInt()
  @Min(10_000)
  gatewayAdminSessionTtlMs: number = 15 * 60_000;

  /**
   * A partial upload (a `.part` file, an unfinished multipart upload) left by a gateway that died
   * while receiving it is removed once untouched this long; swept every tenth of it.
   */
  @IsInt()
  @Min(10_000)
  gatewayPartialUploadGraceMs: number = 15 * 60_000;

  /**
   * How long the gateway may answer a job read (`GET /v1/jobs…`) or a token lookup from memory
   * instead of Postgres. Job answers are also dropped the moment Postgres announces a change of the
   * job, so polling clients see changes as soon as SSE clients do; a revoked token is dropped when
   * the revocation's notification arrives (and at the latest after this time, should the listener
   * have been down). 0 reads Postgres every time.
   */
  @IsInt()
  @Min(0)
  gatewayReadCacheMs: number = 1000;
}
