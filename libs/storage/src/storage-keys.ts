/** Where things live in storage. One place, so no service invents its own layout. */
export const StorageKeys = {
  /** An upload while it streams in, before it has a job. */
  incoming: (id: string) => `incoming/${id}`,
  /** A job's upload, kept until the job is cleaned up. */
  upload: (jobId: string) => `jobs/${jobId}/upload`,
  /** Everything of a job. */
  job: (jobId: string) => `jobs/${jobId}`,
} as const;
