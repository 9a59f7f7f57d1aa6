import { readFileSync } from 'node:fs';
import {
  type ServiceName,
  type Stack,
  type TestContext,
  startServices,
  stopServices,
} from '@bulkops/testing';

/** A process's niceness, as /proc/<pid>/stat has it (field 19). */
function niceness(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

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
    const of = (name: ServiceName) => niceness(stack.pid(name)!);
    const interactive = of('gateway');
    expect(of('status')).toBe(interactive);
    expect(of('ingest')).toBe(interactive + 10);
    expect(of('worker')).toBe(interactive + 10);
  });
});
