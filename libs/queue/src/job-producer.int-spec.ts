import { Queue, QueueEvents, Worker, type Job } from 'bullmq';
import { BulkopsError, ErrorCode, INGEST_QUEUE, type QueueJob } from '@bulkops/contracts';
import { loadEnv, QueueEnv, RedisEnv } from '@bulkops/config';
import { createTestContext, waitFor, type TestContext } from '@bulkops/testing';
import { Consumes } from './consumes';
import { JobProducer } from './job-producer';
import { QueueProcessor } from './queue-processor';
import { RedisClient } from './redis-client';
import { redisOptions } from './redis-options';

/** A processor like the services' own, recording what it handled and failing on request. */
@Consumes(INGEST_QUEUE, ['ingest-upload'])
class RecordingProcessor extends QueueProcessor<typeof INGEST_QUEUE> {
  readonly handled: unknown[] = [];
  failWith: Error | null = null;

  protected async handle({ payload }: QueueJob<typeof INGEST_QUEUE>): Promise<void> {
    this.handled.push(payload);
    if (this.failWith) throw this.failWith;
    await Promise.resolve();
  }
}

describe('JobProducer and QueueProcessor on real BullMQ', () => {
  let context: TestContext;
  let client: RedisClient;
  let producer: JobProducer;

  beforeAll(async () => {
    context = await createTestContext();
    const env = loadEnv([RedisEnv, QueueEnv], context.env);
    client = new RedisClient(env.get(RedisEnv));
    producer = new JobProducer(client, env.get(QueueEnv));
  });

  afterAll(async () => {
    await producer?.onApplicationShutdown();
    await client?.onApplicationShutdown();
    await context?.dispose();
  });

  it('ignores a repeated enqueue of the same chunk while the first is known, routed by object type', async () => {
    const payload = { jobId: 'job-1', orgId: 'org-1', object: 'team', chunk: 0 };
    await producer.enqueue('apply-chunk', payload);
    await producer.enqueue('apply-chunk', payload);
    await producer.enqueueMany('apply-chunk', [payload, { ...payload, chunk: 1 }]);
    const queue = new Queue('apply.team', {
      connection: redisOptions(context.env['REDIS_URL']),
      prefix: context.queuePrefix,
    });
    try {
      const waiting = await queue.getJobs(['waiting']);
      expect(waiting.map((j) => j.id).sort()).toEqual(['job-1.0', 'job-1.1']);
      expect(waiting.find((j) => j.id === 'job-1.0')!.data).toEqual(payload);
    } finally {
      await queue.close();
    }
  });

  it('fails a job for good on a non-retryable error and retries anything else', async () => {
    const processor = new RecordingProcessor();
    const connection = redisOptions(context.env['REDIS_URL']);
    const worker = new Worker('ingest', (job: Job) => processor.process(job), {
      connection,
      prefix: context.queuePrefix,
      autorun: true,
    });
    const events = new QueueEvents('ingest', { connection, prefix: context.queuePrefix });
    const queue = new Queue('ingest', { connection, prefix: context.queuePrefix });
    try {
      processor.failWith = new BulkopsError(ErrorCode.UploadMissing, 'gone');
      const doomed = await queue.add('ingest-upload', { jobId: 'a', orgId: 'o' }, { attempts: 5 });
      await waitFor(
        'the doomed job to fail',
        async () => (await doomed.getState()) === 'failed' || undefined,
      );
      expect((await queue.getJob(doomed.id!))!.attemptsMade).toBe(1);
      expect((await queue.getJob(doomed.id!))!.failedReason).toBe('UPLOAD_MISSING: gone');

      processor.failWith = new Error('connection reset');
      const flaky = await queue.add(
        'ingest-upload',
        { jobId: 'b', orgId: 'o' },
        { attempts: 2, backoff: { type: 'fixed', delay: 10 } },
      );
      await waitFor(
        'the flaky job to exhaust its attempts',
        async () => (await flaky.getState()) === 'failed' || undefined,
      );
      expect((await queue.getJob(flaky.id!))!.attemptsMade).toBe(2);
    } finally {
      await worker.close();
      await events.close();
      await queue.close();
    }
  });
});
