import { JobMode, JobStatus, type JobView } from '@bulkops/contracts';
import { formatDuration, plainProgressLine, progressLine, RateMeter } from './progress-line';

function job(processed: number, total: number, status = JobStatus.InProgress): JobView {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    object: 'site',
    mode: JobMode.Apply,
    undoOf: null,
    fileName: 'sites.csv',
    fileSize: 10,
    status,
    statusLabel: status === JobStatus.InProgress ? 'In Progress' : 'Completed',
    submittedBy: { name: 'Ada Admin', email: 'ada@example.com' },
    submittedAt: '2026-01-01T00:00:00.000Z',
    startedAt: null,
    finishedAt: null,
    counts: {
      total,
      processed,
      succeeded: processed,
      failed: 0,
      created: processed,
      updated: 0,
      deleted: 0,
      unchanged: 0,
    },
    progress: total > 0 ? processed / total : 0,
    files: [],
    failure: null,
    errorSummary: [],
  };
}

describe('RateMeter', () => {
  it('knows no rate until rows moved over time, then measures from the first moving reading', () => {
    const meter = new RateMeter();
    meter.add({ processed: 0, total: 10_000, atMs: 0 });
    expect(meter.rowsPerSecond).toBeNull();
    expect(meter.etaSeconds).toBeNull();
    meter.add({ processed: 2000, total: 10_000, atMs: 1000 });
    meter.add({ processed: 5000, total: 10_000, atMs: 2500 });
    expect(meter.rowsPerSecond).toBe(2000);
    expect(meter.etaSeconds).toBe(2.5);
  });
});

describe('formatDuration', () => {
  it('writes minutes and seconds, and hours when there are some', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(65.4)).toBe('1:05');
    expect(formatDuration(3723)).toBe('1:02:03');
  });
});

describe('progressLine', () => {
  it('shows the bar, percent, rows done of total, rate, ETA and status', () => {
    const meter = new RateMeter();
    meter.add({ processed: 0, total: 5000, atMs: 0 });
    meter.add({ processed: 2250, total: 5000, atMs: 1500 });
    const line = progressLine(job(2250, 5000), meter, 120);
    expect(line).toBe(
      `[${'█'.repeat(18)}${'░'.repeat(22)}]   45%  2,250/5,000 rows  1,500 rows/s  ETA 0:02  In Progress`,
    );
  });

  it('fits a narrow terminal on one line: a shorter bar, then the tail cut', () => {
    expect(progressLine(job(0, 5000), new RateMeter(), 50)).toBe(
      `[${'░'.repeat(15)}]    0%  0/5,000 rows  In Progress`,
    );
    expect(progressLine(job(0, 5000), new RateMeter(), 40)).toBe(
      `[${'░'.repeat(10)}]    0%  0/5,000 rows  In Pro`,
    );
  });

  it('says the upload is being read while there is no total yet', () => {
    expect(progressLine(job(0, 0), new RateMeter(), 120)).toBe(
      `[${'░'.repeat(40)}]    0%  reading the upload  In Progress`,
    );
  });
});

describe('plainProgressLine', () => {
  it('is one line without control characters', () => {
    expect(plainProgressLine(job(5000, 5000, JobStatus.Completed))).toBe(
      '00000000-0000-4000-8000-000000000001 Completed 100% 5000/5000 rows',
    );
  });
});

describe('the type a bundle job applies', () => {
  it('is named in both progress lines while it is applied, and only then', () => {
    const bundle: JobView = { ...job(250, 1000), object: 'bundle', applying: 'team' };
    expect(plainProgressLine(bundle)).toBe(
      '00000000-0000-4000-8000-000000000001 In Progress 25% 250/1000 rows applying team',
    );
    expect(progressLine(bundle, new RateMeter(), 120)).toContain('In Progress  applying team');
    expect(plainProgressLine({ ...bundle, applying: null })).not.toContain('applying');
  });
});
