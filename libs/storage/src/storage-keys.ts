/** Where things live in storage. One place, so no service invents its own layout. */
export const StorageKeys = {
  /** An upload while it streams in, before it has a job. */
  incoming: (id: string) => `incoming/${id}`,
  /** A job's upload, kept until the job is cleaned up. */
  upload: (jobId: string) => `jobs/${jobId}/upload`,
  /** Everything of a job. */
  job: (jobId: string) => `jobs/${jobId}`,
  /** Media bytes of a job while they stream in, before their sha256 is known. */
  incomingBlob: (jobId: string, id: string) => `jobs/${jobId}/incoming-blobs/${id}`,
  /** Media bytes a job's upload carried, by content; the worker keeps them from here. */
  stagedBlob: (jobId: string, sha256: string) => `jobs/${jobId}/blobs/${sha256}`,
  /**
   * Media bytes an organization's objects of one type name, by content: the same bytes are kept
   * once per organization and type however many objects name them, and storing them twice is a no-op.
   */
  blob: (orgId: string, objectType: string, sha256: string): string =>
    `${StorageKeys.blobs(orgId, objectType)}/${sha256}`,
  /** Every blob an organization keeps for one type (what blob collection lists). */
  blobs: (orgId: string, objectType: string) => `orgs/${orgId}/blobs/${objectType}`,
} as const;
