import { JobMode, JobStatus, type JobView } from '@bulkops/contracts';
import { jobsTable, localTime } from './jobs-table';

function job(id: string, fileName: string, status: JobStatus, label: string): JobView {
  return {
    id,
    object: 'team',
    mode: JobMode.Apply,
    undoOf: null,
    fileName,
    fileSize: 10,
    status,
    statusLabel: label,
    submittedBy: { name: 'Ada Admin', email: 'ada@example.com' },
    submittedAt: '2026-03-04T05:06:07.000Z',
    startedAt: null,
    finishedAt: null,
    counts: {
      total: 10,
      processed: 4,
      succeeded: 4,
      failed: 0,
      created: 4,
      updated: 0,
      deleted: 0,
      unchanged: 0,
    },
    progress: 0.4,
    files: [],
    failure: null,
    errorSummary: [],
  };
}

describe('jobsTable', () => {
  it("prints the seed's columns aligned, a running job with its progress", () => {
    const lines = jobsTable([
      job('a1', 'teams-north.csv', JobStatus.InProgress, 'In Progress'),
      job('b2', 't.zip', JobStatus.CompletedWithErrors, 'Completed With Errors'),
    ]);
    const at = localTime('2026-03-04T05:06:07.000Z');
    expect(lines).toEqual([
      `Job ID  File Name        Object  Status                 Submitted By  Submitted At`,
      `------  ---------------  ------  ---------------------  ------------  ${'-'.repeat(16)}`,
      `a1      teams-north.csv  team    In Progress 40%        Ada Admin     ${at}`,
      `b2      t.zip            team    Completed With Errors  Ada Admin     ${at}`,
    ]);
  });

  it('writes times in the local time zone to the minute', () => {
    expect(localTime('2026-03-04T05:06:07.000Z')).toMatch(/^2026-03-0[345] \d\d:\d6$/);
  });
});
