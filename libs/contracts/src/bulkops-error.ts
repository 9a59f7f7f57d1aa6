import { ErrorCode } from './error-code';

/**
 * The one error type bulkops throws on purpose. `message` is a sentence for a person (what is wrong,
 * where, how to fix it); `code` is for programs; `details` are merged into HTTP error bodies.
 */
export class BulkopsError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
    /** Whether trying the same thing again later may succeed (a queue retries these). */
    readonly retryable = false,
  ) {
    super(message);
    this.name = 'BulkopsError';
  }
}

/** The organization already runs a job; carries its id so a client can follow it. */
export class JobAlreadyActiveError extends BulkopsError {
  constructor(readonly activeJobId: string) {
    super(
      ErrorCode.JobAlreadyActive,
      `This organization already has an active job (${activeJobId}); wait for it to finish, then submit again.`,
      { activeJobId },
    );
  }
}

/** Narrows an unknown thrown value. */
export function isBulkopsError(error: unknown): error is BulkopsError {
  return error instanceof BulkopsError;
}
