import { Global, Module, type DynamicModule } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { QueueEnv, RedisEnv } from '@bulkops/config';
import { DEFAULT_JOB_OPTIONS } from './default-job-options';
import { JobProducer } from './job-producer';
import { redisOptions } from './redis-options';
import { QueueHandles } from './queue-handles';
import { RedisClient } from './redis-client';

/** BullMQ wiring of a service: shared connection settings, prefix, producer and Redis client. */
@Global()
@Module({})
export class QueueModule {
  static forRoot(): DynamicModule {
    return {
      module: QueueModule,
      imports: [
        BullModule.forRootAsync({
          inject: [RedisEnv, QueueEnv],
          useFactory: (redis: RedisEnv, queue: QueueEnv) => ({
            connection: redisOptions(redis.redisUrl),
            prefix: queue.queuePrefix,
            defaultJobOptions: DEFAULT_JOB_OPTIONS,
          }),
        }),
        // Brings in BullMQ's processor explorer; processors find their connection in the root config.
        BullModule.registerQueue(),
      ],
      providers: [RedisClient, JobProducer, QueueHandles],
      exports: [RedisClient, JobProducer, QueueHandles],
    };
  }
}
