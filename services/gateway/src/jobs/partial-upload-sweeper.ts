import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { StorageService } from '@bulkops/storage';
import { GatewayEnv } from '../gateway.env';

/**
 * Removes what uploads of a dead gateway left half written (GATEWAY_PARTIAL_UPLOAD_GRACE_MS after
 * their last write). Every replica may sweep: removing an abandoned partial file twice is harmless,
 * and a live upload keeps writing, so it is never old enough.
 */
@Injectable()
export class PartialUploadSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PartialUploadSweeper.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly storage: StorageService,
    private readonly env: GatewayEnv,
  ) {}

  onApplicationBootstrap(): void {
    const every = Math.max(1000, Math.floor(this.env.gatewayPartialUploadGraceMs / 10));
    this.timer = setInterval(() => void this.sweep(), every);
    this.timer.unref();
  }

  async sweep(): Promise<void> {
    try {
      const swept = await this.storage.sweepPartial(this.env.gatewayPartialUploadGraceMs);
      if (swept > 0) this.logger.log({ swept }, 'removed partial uploads a dead gateway left');
    } catch (error) {
      this.logger.warn({ err: error }, 'could not sweep partial uploads; trying again later');
    }
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
