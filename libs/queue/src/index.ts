export * from './redis-options';
export * from './redis-client';
export * from './default-job-options';
export * from './job-producer';
export * from './queue-processor';
export * from './queue.module';
export * from './queue-handles';
