import type { JobView } from '@bulkops/contracts';
import { ApiError } from './api-client';

/** What `bulkops cancel` prints and exits with. */
export interface CancelOutcome {
  line: string;
  exitCode: number;
}

/**
 * The answer to `POST /v1/jobs/{id}/cancel` (spec/api.md) as one line and an exit code: 0 when the
 * job is stopping, 1 for a refusal, and 4 when the job had already ended (`409 JOB_NOT_ACTIVE`),
 * which a script that only wants the job stopped may treat as done.
 */
export function cancelOutcome(id: string, answer: JobView | ApiError): CancelOutcome {
  if (!(answer instanceof ApiError)) {
    return {
      line: `cancelling ${answer.id} (${answer.object}, ${answer.fileName}): ${answer.statusLabel}; rows not yet applied will be in its error file`,
      exitCode: 0,
    };
  }
  switch (answer.status) {
    case 409:
      return { line: `job ${id} has already ended: ${answer.message}`, exitCode: 4 };
    case 403:
      return {
        line: `this token may not cancel jobs (viewer); ask an administrator: ${answer.message}`,
        exitCode: 1,
      };
    case 404:
      return { line: `no job ${id} in your organization`, exitCode: 1 };
    default:
      return { line: answer.message, exitCode: 1 };
  }
}
