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
  /**
   * `activeJobId` is null while the job holding the organization is not yet readable (its upload is
   * still being received): a refusal never names a job the caller cannot look up.
   */
  constructor(readonly activeJobId: string | null) {
    super(
      ErrorCode.JobAlreadyActive,
      activeJobId
        ? `This organization already has an active job (${activeJobId}); wait for it to finish, then submit again.`
        : 'Another upload to this organization is being received right now; try again in a few seconds.',
      { activeJobId },
    );
  }
}

/** Narrows an unknown thrown value. */
export function isBulkopsError(error: unknown): error is BulkopsError {
  return error instanceof BulkopsError;
}
