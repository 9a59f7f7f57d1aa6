import { performance } from 'node:perf_hooks';

/**
 * The steps of applying one chunk, in order: the `step` label of bulkops_apply_step_seconds_total.
 * lock: lock the chunk, check the ledger and the job; read: the rows and their own checks;
 * existing: the stored objects of their keys; settle: defaults and conditional rules; references:
 * resolve and bind every reference; checks: immutable fields, the type's hooks, deletes in use, the
 * blobs the rows name kept; write: create, replace, delete; record: the change records; errors: the
 * rejected rows; ledger: the ledger row; commit: the transaction's commit.
 */
export type ApplyStep =
  | 'lock'
  | 'read'
  | 'existing'
  | 'settle'
  | 'references'
  | 'checks'
  | 'write'
  | 'record'
  | 'errors'
  | 'ledger'
  | 'commit';

/**
 * Times the steps of one chunk's application: each `lap` ends a step where the last one ended, so
 * the steps add up to the whole. Wall time: with chunks applied side by side (WORKER_CONCURRENCY),
 * a step's time includes what the other chunk ran meanwhile, so it shows where a chunk waits, and
 * the sum over chunks exceeds the time the job took.
 */
export class StepClock {
  private last = performance.now();

  constructor(private readonly spent: (step: ApplyStep, seconds: number) => void) {}

  lap(step: ApplyStep): void {
    const now = performance.now();
    this.spent(step, (now - this.last) / 1000);
    this.last = now;
  }
}
