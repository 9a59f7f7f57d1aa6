import type { JobView } from '@bulkops/contracts';
import { plainProgressLine, progressLine, RateMeter } from './progress-line';

/** Shows a job's progress while it runs. */
export interface ProgressDisplay {
  update(job: JobView): void;
  /** Ends the display (the final job was received); the caller prints the summary after it. */
  finish(job: JobView): void;
}

/** Redraws at most this often: events can come faster than a terminal is worth repainting. */
const REDRAW_MS = 100;

/**
 * A bar redrawn in place on a terminal (carriage return, erase line), kept to one line of the
 * terminal's width. No library: the whole of it is one line of text (progressLine), and the
 * well-kept bar libraries add a dependency and their own TTY detection for what is 30 lines here.
 */
class TerminalProgress implements ProgressDisplay {
  private readonly meter = new RateMeter();
  private drawnAt = 0;
  private drawn = false;

  constructor(private readonly out: NodeJS.WriteStream) {}

  update(job: JobView): void {
    const now = Date.now();
    this.meter.add({ processed: job.counts.processed, total: job.counts.total, atMs: now });
    if (this.drawn && now - this.drawnAt < REDRAW_MS) return;
    this.draw(job);
    this.drawnAt = now;
  }

  finish(job: JobView): void {
    this.draw(job);
    this.out.write('\n');
  }

  private draw(job: JobView): void {
    const width = this.out.columns || 80;
    this.out.write(`\r\x1b[2K${progressLine(job, this.meter, width - 1)}`);
    this.drawn = true;
  }
}

/**
 * Plain lines for pipes and logs: one when the status changes and one per tenth of the rows, so a
 * CI log shows the job moving without a line per event.
 */
class PlainProgress implements ProgressDisplay {
  private lastKey = '';

  constructor(private readonly out: NodeJS.WritableStream) {}

  update(job: JobView): void {
    const key = `${job.status}:${Math.floor(job.progress * 10)}`;
    if (key === this.lastKey) return;
    this.lastKey = key;
    this.out.write(`${plainProgressLine(job)}\n`);
  }

  finish(): void {
    // The summary that follows says how the job ended.
  }
}

/** A bar on a terminal, plain lines otherwise. */
export function progressDisplay(out: NodeJS.WriteStream): ProgressDisplay {
  return out.isTTY ? new TerminalProgress(out) : new PlainProgress(out);
}
