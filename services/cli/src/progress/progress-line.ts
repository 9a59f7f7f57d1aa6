import type { JobView } from '@bulkops/contracts';

/** One reading of a job's progress, at a time. */
export interface ProgressSample {
  processed: number;
  total: number;
  atMs: number;
}

/**
 * Rows per second since the first reading that showed the job moving. Measured from there rather
 * than between the last two readings: events come coalesced and uneven, and a rate over the whole
 * run gives an ETA that does not jump about.
 */
export class RateMeter {
  private first: ProgressSample | null = null;
  private last: ProgressSample | null = null;

  add(sample: ProgressSample): void {
    if (!this.first || sample.processed < this.first.processed) this.first = sample;
    this.last = sample;
  }

  /** Rows per second, or null until two readings apart in time and rows exist. */
  get rowsPerSecond(): number | null {
    if (!this.first || !this.last) return null;
    const rows = this.last.processed - this.first.processed;
    const ms = this.last.atMs - this.first.atMs;
    return rows > 0 && ms > 0 ? (rows * 1000) / ms : null;
  }

  /** Seconds until the rest of the rows are done at the current rate, or null when unknown. */
  get etaSeconds(): number | null {
    const rate = this.rowsPerSecond;
    if (rate === null || !this.last) return null;
    return Math.max(0, (this.last.total - this.last.processed) / rate);
  }
}

const count = new Intl.NumberFormat('en-US');

/** `1:05`, `12:00`, `1:02:03`. */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  const [h, m, r] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(r)}` : `${m}:${pad(r)}`;
}

/**
 * The progress bar line of a job for a terminal `width` columns wide: the bar takes what the text
 * leaves (10 to 40 cells), and what still does not fit is cut, so it always stays one line.
 * `[██████░░░░░░]  45%  2,250/5,000 rows  1,234 rows/s  ETA 0:02  In Progress`
 */
export function progressLine(job: JobView, meter: RateMeter, width: number): string {
  const { processed, total } = job.counts;
  const percent = `${String(Math.floor(job.progress * 100)).padStart(3)}%`;
  const rate = meter.rowsPerSecond;
  const eta = meter.etaSeconds;
  const parts = [
    percent,
    // Until ingest has counted the upload there is no total to show progress against.
    total > 0 ? `${count.format(processed)}/${count.format(total)} rows` : 'reading the upload',
    rate === null ? '' : `${count.format(Math.round(rate))} rows/s`,
    eta === null ? '' : `ETA ${formatDuration(eta)}`,
    job.statusLabel,
    applyingText(job),
  ].filter(Boolean);
  const text = parts.join('  ');
  const barWidth = Math.max(10, Math.min(40, width - text.length - 4));
  const filled = Math.round(job.progress * barWidth);
  // Never wider than the terminal: a wrapped line would defeat the redraw in place.
  return `[${'█'.repeat(filled)}${'░'.repeat(barWidth - filled)}]  ${text}`.slice(0, width);
}

/** A progress report for logs and pipes: one plain line, no control characters. */
export function plainProgressLine(job: JobView): string {
  const { processed, total } = job.counts;
  const applying = applyingText(job);
  return `${job.id} ${job.statusLabel} ${Math.floor(job.progress * 100)}% ${processed}/${total} rows${applying ? ` ${applying}` : ''}`;
}

/** `applying team` while a bundle job applies a type (spec/api.md "Bundles"); '' otherwise. */
function applyingText(job: JobView): string {
  return job.applying ? `applying ${job.applying}` : '';
}
