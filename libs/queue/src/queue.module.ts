import { Global, Module, type DynamicModule } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { BullModule } from '@nestjs/bullmq';
import { QueueEnv, RedisEnv } from '@bulkops/config';
import { ConsumerRegistrar } from './consumer-registrar';
import { DEFAULT_JOB_OPTIONS } from './default-job-options';
import { JobProducer } from './job-producer';
import { QueueStats } from './queue-stats';
import { redisOptions } from './redis-options';
import { QueueHandles } from './queue-handles';
import { RedisClient } from './redis-client';

/**
 * BullMQ wiring of a service: shared connection settings, prefix, producer and Redis client, and
 * its workers, started by ConsumerRegistrar once the processors match the queue catalogue.
 */
@Global()
@Module({})
export class QueueModule {
  static forRoot(): DynamicModule {
    return {
      module: QueueModule,
      imports: [
        DiscoveryModule,
        BullModule.forRootAsync({
          inject: [RedisEnv, QueueEnv],
          useFactory: (redis: RedisEnv, queue: QueueEnv) => ({
            connection: redisOptions(redis.redisUrl),
            prefix: queue.queuePrefix,
            defaultJobOptions: DEFAULT_JOB_OPTIONS,
          }),
          extraOptions: { manualRegistration: true },
        }),
        // Brings in BullMQ's processor explorer; processors find their connection in the root config.
        BullModule.registerQueue(),
      ],
      providers: [RedisClient, JobProducer, QueueStats, QueueHandles, ConsumerRegistrar],
      exports: [RedisClient, JobProducer, QueueStats, QueueHandles],
    };
  }
}
