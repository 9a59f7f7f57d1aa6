import {
  applyQueueName,
  bullJobId,
  INGEST_QUEUE,
  JOB_EVENTS_QUEUE,
  jobNamesOn,
  queueFor,
  queueKindOf,
} from './queue-catalogue';
import { FINAL_JOB_STATUSES, isActiveStatus, JOB_STATUS_LABELS, JobStatus } from './job-status';

describe('the job catalogue', () => {
  it('routes each job name to its queue, apply jobs by object type', () => {
    expect(queueFor('ingest-upload', { jobId: 'j', orgId: 'o' })).toBe(INGEST_QUEUE);
    expect(queueFor('apply-chunk', { jobId: 'j', orgId: 'o', object: 'work-type', chunk: 3 })).toBe(
      'apply.work-type',
    );
    expect(queueFor('chunk-applied', { jobId: 'j', orgId: 'o', chunk: 3 })).toBe(JOB_EVENTS_QUEUE);
    expect(queueFor('reap-stuck-jobs', {})).toBe(JOB_EVENTS_QUEUE);
    expect(applyQueueName('team')).toBe('apply.team');
  });

  it('lists the job names of each kind of queue, every name on exactly one', () => {
    expect(jobNamesOn('ingest')).toEqual(['ingest-upload']);
    expect(jobNamesOn('apply')).toEqual(['apply-chunk']);
    expect(jobNamesOn('job-events')).toEqual([
      'chunk-applied',
      'ingest-finished',
      'cancel-requested',
      'reap-stuck-jobs',
    ]);
  });

  it('tells the kind of a queue from its name, and knows no other queue', () => {
    expect(queueKindOf('ingest')).toBe('ingest');
    expect(queueKindOf('apply.work-type')).toBe('apply');
    expect(queueKindOf('job-events')).toBe('job-events');
    expect(queueKindOf('apply.')).toBeNull();
    expect(queueKindOf('exports')).toBeNull();
  });

  it('gives ingest and apply jobs deterministic ids BullMQ accepts, and nudges none', () => {
    expect(bullJobId('ingest-upload', { jobId: 'j1', orgId: 'o' })).toBe('ingest-j1');
    expect(bullJobId('apply-chunk', { jobId: 'j1', orgId: 'o', object: 'site', chunk: 7 })).toBe(
      'j1.7',
    );
    expect(
      bullJobId('apply-chunk', { jobId: 'j1', orgId: 'o', object: 'site', chunk: 7 }),
    ).not.toContain(':');
    expect(bullJobId('chunk-applied', { jobId: 'j1', orgId: 'o', chunk: 7 })).toBeUndefined();
  });

  it('labels every status and tells active from final', () => {
    for (const status of Object.values(JobStatus)) {
      expect(JOB_STATUS_LABELS[status]).toMatch(/^[A-Z]/);
      expect(isActiveStatus(status)).toBe(!FINAL_JOB_STATUSES.includes(status));
    }
  });
});
