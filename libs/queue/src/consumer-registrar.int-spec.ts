import { Module, type Type } from '@nestjs/common';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Test, type TestingModule } from '@nestjs/testing';
import { Queue } from 'bullmq';
import { ConfigModule, loadEnv, QueueEnv, RedisEnv } from '@bulkops/config';
import { ErrorCode, JOB_EVENTS_QUEUE, type BulkopsError } from '@bulkops/contracts';
import { createTestContext, waitFor, type TestContext } from '@bulkops/testing';
import { ConsumerRegistrar } from './consumer-registrar';
import { Consumes } from './consumes';
import { QueueModule } from './queue.module';
import { QueueProcessor } from './queue-processor';
import { redisOptions } from './redis-options';

@Consumes(JOB_EVENTS_QUEUE, ['chunk-applied', 'ingest-finished', 'cancel-requested'])
class NudgeProcessor extends QueueProcessor<typeof JOB_EVENTS_QUEUE> {
  protected async handle(): Promise<void> {}
}

@Consumes(JOB_EVENTS_QUEUE, ['reap-stuck-jobs'])
class ReaperProcessor extends QueueProcessor<typeof JOB_EVENTS_QUEUE> {
  protected async handle(): Promise<void> {}
}

@Consumes(JOB_EVENTS_QUEUE, ['reap-stuck-jobs'])
class SecondReaperProcessor extends QueueProcessor<typeof JOB_EVENTS_QUEUE> {
  protected async handle(): Promise<void> {}
}

/** A processor written the way BullMQ's own docs show, bypassing the declaration. */
@Processor(JOB_EVENTS_QUEUE)
class UndeclaredProcessor extends WorkerHost {
  async process(): Promise<void> {}
}

describe('QueueModule starting the workers of a service', () => {
  let context: TestContext;
  let events: Queue;

  beforeAll(async () => {
    context = await createTestContext();
    events = new Queue(JOB_EVENTS_QUEUE, {
      connection: redisOptions(context.env['REDIS_URL']),
      prefix: context.queuePrefix,
    });
  });

  afterAll(async () => {
    await events?.close();
    await context?.dispose();
  });

  /** A service made of the queue wiring and these processors, built but not yet started. */
  async function service(processors: Type<WorkerHost>[]) {
    @Module({ providers: processors })
    class ConsumersModule {}
    return Test.createTestingModule({
      imports: [
        ConfigModule.forRoot(loadEnv([RedisEnv, QueueEnv], context.env)),
        QueueModule.forRoot(),
        ConsumersModule,
      ],
    }).compile();
  }

  /**
   * Runs the start-up step that registers the workers (what `init()` runs; called directly so the
   * refused service can still be closed) and expects the refusal, with no worker started.
   */
  async function expectRefusal(app: TestingModule, problem: string): Promise<void> {
    try {
      expect(() => app.get(ConsumerRegistrar, { strict: false }).onModuleInit()).toThrow(
        expect.objectContaining({
          code: ErrorCode.InvalidConfiguration,
          message: expect.stringContaining(problem) as string,
        }) as BulkopsError,
      );
      expect(await events.getWorkers()).toEqual([]);
    } finally {
      await app.close();
    }
  }

  it('refuses to start when a job name of a consumed queue has no processor, taking no job', async () => {
    await expectRefusal(
      await service([NudgeProcessor]),
      "no processor handles 'reap-stuck-jobs' on the 'job-events' queue",
    );
  });

  it('refuses to start when two processors handle one job name, taking no job', async () => {
    await expectRefusal(
      await service([NudgeProcessor, ReaperProcessor, SecondReaperProcessor]),
      "'reap-stuck-jobs' on the 'job-events' queue has 2 processors: ReaperProcessor, SecondReaperProcessor",
    );
  });

  it('refuses to start with a BullMQ processor that was not declared with @Consumes', async () => {
    await expectRefusal(
      await service([NudgeProcessor, ReaperProcessor, UndeclaredProcessor]),
      'UndeclaredProcessor is a BullMQ processor without @Consumes',
    );
  });

  it('starts one worker per processor when every job name has exactly one', async () => {
    const app = await service([NudgeProcessor, ReaperProcessor]);
    try {
      await app.init();
      await waitFor('both job-events workers to connect', async () =>
        (await events.getWorkers()).length === 2 ? true : undefined,
      );
    } finally {
      await app.close();
    }
  });
});
