import { getPriority } from 'node:os';
import {
  type ServiceName,
  type Stack,
  type TestContext,
  startServices,
  stopServices,
} from '@bulkops/testing';

/**
 * Batch work yields the CPU (runService, BATCH_NICENESS): where the services share cores, the
 * gateway answers reads of a job and status moves it on before the next chunk is worked on.
 */
describe('process priority', () => {
  let context: TestContext;
  let stack: Stack;

  beforeAll(async () => {
    ({ context, stack } = await startServices());
  });

  afterAll(() => stopServices({ context, stack }));

  it('runs ingest and worker at a lower priority than the gateway and status', () => {
    // getPriority() without a pid reads this process: a service not running must fail instead.
    const of = (name: ServiceName) => {
      const pid = stack.pid(name);
      if (pid === undefined) throw new Error(`${name} is not running`);
      return getPriority(pid);
    };
    const interactive = of('gateway');
    expect(of('status')).toBe(interactive);
    expect(of('ingest')).toBe(interactive + 10);
    expect(of('worker')).toBe(interactive + 10);
  });
});
