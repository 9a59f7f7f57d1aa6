import { Controller, Get } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { RedisClient } from '@bulkops/queue';
import { ShutdownState } from './shutdown-state';

/**
 * `/health/live` (the process answers) and `/health/ready` (Postgres and Redis reachable, and the
 * service not stopping).
 */
@ApiExcludeController()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly dataSource: DataSource,
    private readonly redisClient: RedisClient,
    private readonly shutdown: ShutdownState,
  ) {}

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => {
        const indicator = this.indicators.check('shutdown');
        return this.shutdown.draining ? indicator.down({ message: 'stopping' }) : indicator.up();
      },
      () => this.probe('postgres', () => this.dataSource.query('SELECT 1')),
      () => this.probe('redis', () => this.redisClient.redis.ping()),
    ]);
  }

  private async probe(key: string, check: () => Promise<unknown>) {
    const indicator = this.indicators.check(key);
    try {
      await Promise.race([
        check(),
        new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), 2000)),
      ]);
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}
