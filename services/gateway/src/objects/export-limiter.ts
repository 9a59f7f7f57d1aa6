import { Injectable } from '@nestjs/common';
import { BulkopsError, ErrorCode } from '@bulkops/contracts';
import { GatewayEnv } from '../gateway.env';

/**
 * Caps the exports this gateway streams at once. An export holds a database connection (and a
 * snapshot) for as long as its client takes to download, so slow clients must not be able to take
 * every connection of the pool that authentication and every other request need.
 */
@Injectable()
export class ExportLimiter {
  private running = 0;

  constructor(private readonly env: GatewayEnv) {}

  /** Takes a slot, or refuses with SERVICE_UNAVAILABLE (retryable); call the answer to give it back. */
  take(): () => void {
    const limit = this.env.gatewayMaxConcurrentExports;
    if (this.running >= limit) {
      throw new BulkopsError(
        ErrorCode.ServiceUnavailable,
        `This gateway is already streaming ${limit} exports; try again in a minute.`,
        {},
        true,
      );
    }
    this.running += 1;
    let given = false;
    return () => {
      if (!given) {
        given = true;
        this.running -= 1;
      }
    };
  }
}
