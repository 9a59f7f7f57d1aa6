/** The life of a bulk job (spec/api.md "Bulk jobs"). Values are part of the HTTP contract. */
export enum JobStatus {
  New = 'NEW',
  InProgress = 'IN_PROGRESS',
  Completed = 'COMPLETED',
  CompletedWithErrors = 'COMPLETED_WITH_ERRORS',
  Failed = 'FAILED',
  Cancelled = 'CANCELLED',
}

/** Statuses that hold the organization's lock; the partial unique index on `job` covers exactly these. */
export const ACTIVE_JOB_STATUSES: readonly JobStatus[] = [JobStatus.New, JobStatus.InProgress];

/** Statuses a job never leaves. */
export const FINAL_JOB_STATUSES: readonly JobStatus[] = [
  JobStatus.Completed,
  JobStatus.CompletedWithErrors,
  JobStatus.Failed,
  JobStatus.Cancelled,
];

/** The human label of each status, as the API shows it next to the code. */
export const JOB_STATUS_LABELS: Readonly<Record<JobStatus, string>> = {
  [JobStatus.New]: 'New',
  [JobStatus.InProgress]: 'In Progress',
  [JobStatus.Completed]: 'Completed',
  [JobStatus.CompletedWithErrors]: 'Completed With Errors',
  [JobStatus.Failed]: 'Failed',
  [JobStatus.Cancelled]: 'Cancelled',
};

/** Whether a job in this status still runs (and holds the organization's lock). */
export function isActiveStatus(status: JobStatus): boolean {
  return ACTIVE_JOB_STATUSES.includes(status);
}

/**
 * `apply` writes; `validate` runs every check, including references, and changes nothing; `undo`
 * restores the state before an earlier job from that job's change records (no upload of its own).
 */
export enum JobMode {
  Apply = 'apply',
  Validate = 'validate',
  Undo = 'undo',
}

/** Modes a client may choose when uploading (an undo job is made by `POST /v1/jobs/{id}/undo`). */
export const UPLOAD_MODES: readonly JobMode[] = [JobMode.Apply, JobMode.Validate];

/** Token roles (spec/api.md "Authentication and tenancy"). */
export enum Role {
  Admin = 'admin',
  Viewer = 'viewer',
}
