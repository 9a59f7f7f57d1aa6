import { JobStatus, type JobView } from '@bulkops/contracts';

/** The columns of the seed's job list, in its order. */
export const JOB_COLUMNS = [
  'Job ID',
  'File Name',
  'Object',
  'Status',
  'Submitted By',
  'Submitted At',
] as const;

/** `2026-11-30 15:40` in the machine's own time zone, as the seed's page shows local time. */
export function localTime(iso: string): string {
  const at = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

function cellsOf(job: JobView): string[] {
  const status =
    job.status === JobStatus.InProgress
      ? `${job.statusLabel} ${Math.floor(job.progress * 100)}%`
      : job.statusLabel;
  return [
    job.id,
    job.fileName,
    job.object,
    status,
    job.submittedBy.name,
    localTime(job.submittedAt),
  ];
}

/** The jobs as an aligned text table, header first; columns as wide as their widest cell. */
export function jobsTable(jobs: readonly JobView[]): string[] {
  const rows = [[...JOB_COLUMNS], ...jobs.map(cellsOf)];
  const widths = JOB_COLUMNS.map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  const line = (row: string[]) =>
    row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ');
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)];
}
