/** Status code → CSS modifier (colour) of its badge. */
export const STATUS_TONE: Record<string, string> = {
  NEW: 'new',
  IN_PROGRESS: 'running',
  COMPLETED: 'ok',
  COMPLETED_WITH_ERRORS: 'warn',
  FAILED: 'bad',
  CANCELLED: 'muted',
};

/** Every status, in order of life, with the label the API gives it. */
export const STATUSES: { value: string; label: string }[] = [
  { value: 'NEW', label: 'New' },
  { value: 'IN_PROGRESS', label: 'In Progress' },
  { value: 'COMPLETED', label: 'Completed' },
  { value: 'COMPLETED_WITH_ERRORS', label: 'Completed With Errors' },
  { value: 'FAILED', label: 'Failed' },
  { value: 'CANCELLED', label: 'Cancelled' },
];

export function isActive(status: string): boolean {
  return status === 'NEW' || status === 'IN_PROGRESS';
}

/** An ISO time in the browser's own zone and language. */
export function localTime(iso: string | null): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

export function count(n: number): string {
  return n.toLocaleString();
}
