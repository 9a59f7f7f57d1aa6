import type { INestApplication } from '@nestjs/common';
import { ErrorCode, JobStatus } from '@bulkops/contracts';
import {
  ChunkRepository,
  serializeRows,
  JobRepository,
  type ExpectedState,
  type StagedRow,
} from '@bulkops/database';
import { startService } from '@bulkops/observability';
import {
  createJob,
  createOrganization,
  createTestContext,
  type TestContext,
} from '@bulkops/testing';
import { workerService } from '../worker.service';
import { ApplyChunkService } from './apply-chunk.service';

/**
 * The canonical values of an AGENT team of Austin (an export row without Action), in declaration
 * order: Name, Site, Type, Multimedia Profile, Skill Profile, DN, Capacity, Desktop Layout.
 */
function agentTeam(name: string, mmp: string, skillProfile: string): (string | null)[] {
  return [name, 'Austin', 'AGENT', mmp, skillProfile, null, null, null];
}

function cellsOf(values: (string | null)[], action = ''): (string | null)[] {
  return [...values.map((v) => v ?? ''), action];
}

/**
 * The worker's expected-state check: a staged row that names the state its object must be in is
 * applied only over exactly that state, compared as canonical values (references by name) inside the
 * chunk's transaction; otherwise it is left alone as CHANGED_SINCE with what changed.
 */
describe('ExpectedStateCheck (through ApplyChunkService)', () => {
  let context: TestContext;
  let app: INestApplication;
  let service: ApplyChunkService;

  beforeAll(async () => {
    context = await createTestContext();
    app = await startService(workerService, { ...context.env, PORT: '0' });
    service = app.get(ApplyChunkService);
  });

  afterAll(async () => {
    await app?.close();
    await context?.dispose();
  });

  /** Applies one chunk of rows as a job of its own and finishes that job; answers its row errors. */
  async function run(
    orgId: string,
    object: string,
    rows: StagedRow[],
  ): Promise<{
    jobId: string;
    errors: { source_row: number; codes: string[]; message: string }[];
  }> {
    const jobs = new JobRepository(context.dataSource);
    const job = await createJob(context.dataSource, orgId, { object, fileName: `${object}.csv` });
    await jobs.markStarted(orgId, job.id);
    await new ChunkRepository(context.dataSource).stage(orgId, {
      jobId: job.id,
      seq: 0,
      fileOrdinal: 0,
      rows: serializeRows(rows),
      keys: rows.map(() => null),
    });
    await context.dataSource.transaction((m) =>
      jobs.recordRelease(m, orgId, job.id, {
        chunkCount: 1,
        totalRows: rows.length,
        columns: [],
        files: [{ name: `${object}.csv`, rows: rows.length }],
      }),
    );
    await service.apply({ jobId: job.id, orgId, object, chunk: 0 });
    await context.dataSource.query(`UPDATE job SET status = $2 WHERE id = $1`, [
      job.id,
      JobStatus.Completed,
    ]);
    const errors = await context.dataSource.query<
      { source_row: number; codes: string[]; message: string }[]
    >(`SELECT source_row, codes, message FROM row_error WHERE job_id = $1 ORDER BY source_row`, [
      job.id,
    ]);
    return { jobId: job.id, errors };
  }

  const rowsOf = (cells: (string | null)[][], expected: (ExpectedState | undefined)[] = []) =>
    cells.map((c, i) => ({
      line: i + 2,
      cells: c,
      ...(expected[i] ? { expected: expected[i] } : {}),
    }));

  async function teams(orgId: string) {
    return context.dataSource.query<
      { name: string; multimedia_profile: string; profile: string }[]
    >(
      `SELECT t.name, t.multimedia_profile, p.name AS profile FROM team t
         LEFT JOIN skill_profile p ON p.id = t.skill_profile_id
        WHERE t.organization_id = $1 ORDER BY t.name`,
      [orgId],
    );
  }

  it('applies rows over their expected state and leaves every other row alone, saying what changed', async () => {
    const { orgId } = await createOrganization(context.dataSource);
    await run(orgId, 'site', rowsOf([['Austin', 'MMP', '']]));
    await run(orgId, 'skill-definition', rowsOf([['English', '', '30', 'PROFICIENCY', '', '']]));
    await run(
      orgId,
      'skill-profile',
      rowsOf([
        ['Gold', '', 'English:8', ''],
        ['Silver', '', 'English:5', ''],
      ]),
    );
    const written = ['North', 'South', 'East', 'Central'].map((name) =>
      agentTeam(name, 'MMP A', 'Gold'),
    );
    expect((await run(orgId, 'team', rowsOf(written.map((v) => cellsOf(v))))).errors).toEqual([]);
    // Another writer edits South behind bulkops' back.
    await context.dataSource.query(
      `UPDATE team SET skill_profile_id = (SELECT id FROM skill_profile WHERE organization_id = $1 AND name = 'Silver')
        WHERE organization_id = $1 AND name = 'South'`,
      [orgId],
    );
    const since = '11111111-2222-3333-4444-555555555555';
    const { errors } = await run(
      orgId,
      'team',
      rowsOf(
        [
          cellsOf(agentTeam('North', 'MMP B', 'Silver')),
          cellsOf(agentTeam('South', 'MMP B', 'Silver')),
          cellsOf(agentTeam('East', 'MMP A', 'Gold'), 'DELETE'),
          cellsOf(agentTeam('West', 'MMP W', 'Gold')),
          cellsOf(agentTeam('Central', 'MMP C', 'Gold')),
          cellsOf(agentTeam('Gone', 'MMP G', 'Gold')),
        ],
        [
          { since, values: agentTeam('North', 'MMP A', 'Gold') },
          { since, values: agentTeam('South', 'MMP A', 'Gold') },
          { since, values: agentTeam('East', 'MMP A', 'Gold') },
          { since, values: null },
          { since, values: null },
          { since, values: agentTeam('Gone', 'MMP A', 'Gold') },
        ],
      ),
    );
    expect(errors).toEqual([
      {
        source_row: 3,
        codes: [ErrorCode.ChangedSince],
        message: `left alone: Team 'Austin/South' was changed after job ${since}: Skill Profile is now 'Silver', the job set 'Gold'`,
      },
      {
        source_row: 6,
        codes: [ErrorCode.ChangedSince],
        message: `left alone: Team 'Austin/Central' was created again after job ${since} deleted it`,
      },
      {
        source_row: 7,
        codes: [ErrorCode.ChangedSince],
        message: `left alone: Team 'Austin/Gone' was deleted after job ${since}`,
      },
    ]);
    expect(await teams(orgId)).toEqual([
      { name: 'Central', multimedia_profile: 'MMP A', profile: 'Gold' },
      { name: 'North', multimedia_profile: 'MMP B', profile: 'Silver' },
      { name: 'South', multimedia_profile: 'MMP A', profile: 'Silver' },
      { name: 'West', multimedia_profile: 'MMP W', profile: 'Gold' },
    ]);
  });

  it('names every changed column, empty ones as empty', async () => {
    const { orgId } = await createOrganization(context.dataSource);
    await run(orgId, 'site', rowsOf([['Austin', 'MMP', '']]));
    await run(orgId, 'skill-definition', rowsOf([['English', '', '30', 'PROFICIENCY', '', '']]));
    await run(orgId, 'skill-profile', rowsOf([['Gold', '', 'English:8', '']]));
    await run(orgId, 'team', rowsOf([cellsOf(agentTeam('North', 'MMP A', 'Gold'))]));
    await context.dataSource.query(
      `UPDATE team SET multimedia_profile = NULL, desktop_layout = 'Wide' WHERE organization_id = $1`,
      [orgId],
    );
    const since = '11111111-2222-3333-4444-555555555555';
    const { errors } = await run(
      orgId,
      'team',
      rowsOf(
        [cellsOf(agentTeam('North', 'MMP A', 'Gold'), 'DELETE')],
        [{ since, values: agentTeam('North', 'MMP A', 'Gold') }],
      ),
    );
    expect(errors.map((e) => e.message)).toEqual([
      `left alone: Team 'Austin/North' was changed after job ${since}: Multimedia Profile is now empty, the job set 'MMP A'; Desktop Layout is now 'Wide', the job left it empty`,
    ]);
    expect(await teams(orgId)).toHaveLength(1);
  });

  it('compares the values, not the spelling of the key the object was found by', async () => {
    const { orgId } = await createOrganization(context.dataSource);
    await run(orgId, 'site', rowsOf([['Austin', 'MMP', '']]));
    await run(orgId, 'site', rowsOf([['AUSTIN', 'MMP New', '']]));
    const since = '11111111-2222-3333-4444-555555555555';
    const { errors } = await run(
      orgId,
      'site',
      rowsOf([['Austin', 'MMP', '']], [{ since, values: ['AUSTIN', 'MMP New'] }]),
    );
    expect(errors).toEqual([]);
    const [site] = await context.dataSource.query<{ name: string; multimedia_profile: string }[]>(
      `SELECT name, multimedia_profile FROM site WHERE organization_id = $1`,
      [orgId],
    );
    expect(site).toEqual({ name: 'Austin', multimedia_profile: 'MMP' });
  });

  it('treats a row without an expected state as before (an ordinary upload)', async () => {
    const { orgId } = await createOrganization(context.dataSource);
    await run(orgId, 'site', rowsOf([['Austin', 'MMP', '']]));
    const { errors } = await run(orgId, 'site', rowsOf([['Austin', 'Other', '']]));
    expect(errors).toEqual([]);
    const [site] = await context.dataSource.query<{ multimedia_profile: string }[]>(
      `SELECT multimedia_profile FROM site WHERE organization_id = $1`,
      [orgId],
    );
    expect(site.multimedia_profile).toBe('Other');
  });
});
