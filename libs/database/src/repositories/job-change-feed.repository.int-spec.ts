import { randomUUID } from 'node:crypto';
import { Client, type Notification } from 'pg';
import { createOrganization, createTestContext, waitFor, type TestContext } from '@bulkops/testing';
import { JobChangeFeedRepository } from './job-change-feed.repository';

/** The feed of job changes: the trigger of migration AddJobChangeFeed and its reader. */
describe('JobChangeFeedRepository and the job_changed trigger', () => {
  let context: TestContext;
  let changes: JobChangeFeedRepository;
  let listener: Client;
  const heard: Notification[] = [];

  beforeAll(async () => {
    context = await createTestContext();
    changes = new JobChangeFeedRepository(context.dataSource);
    listener = new Client({ connectionString: context.env['DATABASE_URL'] });
    await listener.connect();
    listener.on('notification', (n) => heard.push(n));
    await listener.query('LISTEN bulkops_job_changed');
  });

  afterAll(async () => {
    await listener?.end();
    await context?.dispose();
  });

  async function newJob(orgId: string, status = 'NEW'): Promise<string> {
    const id = randomUUID();
    await context.dataSource.query(
      `INSERT INTO job (id, organization_id, administrator_id, object, mode, status, file_name, file_size, upload_key)
       SELECT $1, $2, a.id, 'site', 'apply', $3, 'sites.csv', 10, 'k' FROM administrator a WHERE a.organization_id = $2 LIMIT 1`,
      [id, orgId, status],
    );
    return id;
  }

  async function seqOf(jobId: string): Promise<number> {
    const [row] = await context.dataSource.query<{ seq: string }[]>(
      `SELECT change_seq AS seq FROM job WHERE id = $1`,
      [jobId],
    );
    return Number(row.seq);
  }

  /** Waits for the notification of one change, and checks nothing else about that job arrived. */
  async function notified(orgId: string, jobId: string, seq: number): Promise<void> {
    const payload = `${orgId},${jobId},${seq}`;
    await waitFor(`the notification ${payload}`, () =>
      heard.some((n) => n.channel === 'bulkops_job_changed' && n.payload === payload),
    );
  }

  it('numbers each insert and visible change, and notifies it on commit', async () => {
    const { orgId } = await createOrganization(context.dataSource);
    const jobId = await newJob(orgId);
    const created = await seqOf(jobId);
    await notified(orgId, jobId, created);

    await context.dataSource.query(
      `UPDATE job SET status = 'IN_PROGRESS', processed_rows = 10 WHERE id = $1`,
      [jobId],
    );
    const progressed = await seqOf(jobId);
    expect(progressed).toBeGreaterThan(created);
    await notified(orgId, jobId, progressed);

    // A sign of life, or a write that changes nothing a client sees, is no event.
    const before = heard.length;
    await context.dataSource.query(
      `UPDATE job SET progressed_at = now(), processed_rows = 10 WHERE id = $1`,
      [jobId],
    );
    expect(await seqOf(jobId)).toBe(progressed);
    // A change that is rolled back is never announced; a later one is.
    await context.dataSource
      .transaction(async (manager) => {
        await manager.query(`UPDATE job SET processed_rows = 99 WHERE id = $1`, [jobId]);
        throw new Error('rolled back on purpose');
      })
      .catch(() => undefined);
    await context.dataSource.query(`UPDATE job SET failed_rows = 1 WHERE id = $1`, [jobId]);
    const failed = await seqOf(jobId);
    await notified(orgId, jobId, failed);
    expect(heard.slice(before).map((n) => n.payload)).toEqual([`${orgId},${jobId},${failed}`]);
  });

  it("answers an organization's jobs changed after a position, oldest change first", async () => {
    const { orgId } = await createOrganization(context.dataSource);
    const other = await createOrganization(context.dataSource);
    expect(await changes.latestSeq(orgId)).toBe(0);
    const first = await newJob(orgId, 'COMPLETED');
    const second = await newJob(orgId);
    await newJob(other.orgId);
    const start = await seqOf(first);
    await context.dataSource.query(`UPDATE job SET total_rows = 5 WHERE id = $1`, [first]);

    const since = await changes.changedSince(orgId, start, 10);
    expect(since.map((j) => j.id)).toEqual([second, first]);
    expect(since.map((j) => j.changeSeq)).toEqual([await seqOf(second), await seqOf(first)]);
    expect(since[1].totalRows).toBe(5);
    expect((await changes.changedSince(orgId, 0, 1)).map((j) => j.id)).toEqual([second]);
    expect(await changes.changedSince(orgId, await seqOf(first), 10)).toEqual([]);
    expect(await changes.latestSeq(orgId)).toBe(await seqOf(first));
  });
});
