import { JobMode, JobStatus, type JobView } from '@bulkops/contracts';
import { ApiError } from './api-client';
import { cancelOutcome } from './cancel-outcome';

const ID = '00000000-0000-4000-8000-000000000009';

describe('cancelOutcome', () => {
  it('says the job is stopping after a 202, exit 0', () => {
    const job = {
      id: ID,
      object: 'team',
      mode: JobMode.Apply,
      undoOf: null,
      fileName: 'teams.csv',
      status: JobStatus.InProgress,
      statusLabel: 'In Progress',
    } as JobView;
    expect(cancelOutcome(ID, job)).toEqual({
      line: `cancelling ${ID} (team, teams.csv): In Progress; rows not yet applied will be in its error file`,
      exitCode: 0,
    });
  });

  it('tells an ended job (409 JOB_NOT_ACTIVE) apart with exit 4', () => {
    const answer = new ApiError(
      409,
      'JOB_NOT_ACTIVE',
      'The job has already finished (409 JOB_NOT_ACTIVE)',
    );
    expect(cancelOutcome(ID, answer)).toEqual({
      line: `job ${ID} has already ended: The job has already finished (409 JOB_NOT_ACTIVE)`,
      exitCode: 4,
    });
  });

  it('explains a viewer token (403) and an unknown id (404), exit 1', () => {
    expect(
      cancelOutcome(ID, new ApiError(403, 'FORBIDDEN', 'admins only (403 FORBIDDEN)')),
    ).toEqual({
      line: 'this token may not cancel jobs (viewer); ask an administrator: admins only (403 FORBIDDEN)',
      exitCode: 1,
    });
    expect(cancelOutcome(ID, new ApiError(404, 'NOT_FOUND', 'No job has this id'))).toEqual({
      line: `no job ${ID} in your organization`,
      exitCode: 1,
    });
  });

  it('passes any other refusal through, exit 1', () => {
    expect(cancelOutcome(ID, new ApiError(503, 'SERVICE_UNAVAILABLE', 'try later'))).toEqual({
      line: 'try later',
      exitCode: 1,
    });
  });
});
