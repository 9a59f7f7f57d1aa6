import type { INestApplication } from '@nestjs/common';
import { JobMode } from '@bulkops/contracts';
import { ChunkRepository, serializeRows, JobRepository, type StagedRow } from '@bulkops/database';
import { checkRow, getObject } from '@bulkops/objects';
import { startService } from '@bulkops/observability';
import {
  createJob,
  createOrganization,
  createTestContext,
  waitFor,
  type TestContext,
} from '@bulkops/testing';
import { workerService } from '../worker.service';
import { ApplyChunkService } from './apply-chunk.service';

type Row = Record<string, string>;

/** The change records (table job_change) the worker writes with each chunk. */
describe('change records of applied chunks', () => {
  let context: TestContext;
  let app: INestApplication;
  let service: ApplyChunkService;
  let orgId: string;

  beforeAll(async () => {
    context = await createTestContext();
    app = await startService(workerService, { ...context.env, PORT: '0' });
    service = app.get(ApplyChunkService);
    orgId = (await createOrganization(context.dataSource)).orgId;
    await applied('site', [
      { Name: 'Austin', 'Multimedia Profile': 'MMP' },
      { Name: 'Denver', 'Multimedia Profile': 'MMP' },
    ]);
    await applied('user-profile', [
      { Name: 'Agents', 'Profile Type': 'STANDARD_AGENT' },
      { Name: 'Supervisors', 'Profile Type': 'SUPERVISOR' },
    ]);
    await applied('team', [
      { Name: 'Sales', Site: 'Austin', Type: 'AGENT' },
      { Name: 'Support', Site: 'Austin', Type: 'AGENT' },
    ]);
    await applied('agent-profile', [{ Name: 'Austin Agents', 'Parent Site': 'Austin' }]);
  });

  afterAll(async () => {
    await app?.close();
    await context?.dispose();
  });

  /**
   * A released job of one chunk of `rows` (cells by column name; columns no row names are absent
   * from the file), as ingest leaves it.
   */
  async function staged(type: string, rows: Row[], mode = JobMode.Apply): Promise<string> {
    const declaration = getObject(type);
    const named = new Set(rows.flatMap((r) => Object.keys(r)));
    const job = await createJob(context.dataSource, orgId, {
      object: type,
      mode,
      fileName: `${type}.csv`,
    });
    const jobs = new JobRepository(context.dataSource);
    await jobs.markStarted(orgId, job.id);
    const stagedRows: StagedRow[] = rows.map((row, i) => ({
      line: i + 2,
      cells: [
        ...declaration.columns.map((c) => (named.has(c.name) ? (row[c.name] ?? '') : null)),
        row['Action'] ?? null,
      ],
    }));
    await new ChunkRepository(context.dataSource).stage(orgId, {
      jobId: job.id,
      seq: 0,
      fileOrdinal: 0,
      rows: serializeRows(stagedRows),
      keys: stagedRows.map((r) => checkRow(declaration, r.cells).keyNorm),
    });
    await context.dataSource.transaction((m) =>
      jobs.recordRelease(m, orgId, job.id, {
        chunkCount: 1,
        totalRows: rows.length,
        columns: declaration.columns.filter((c) => named.has(c.name)).map((c) => c.name),
        files: [{ name: `${type}.csv`, rows: rows.length }],
      }),
    );
    return job.id;
  }

  /** Stages and applies one chunk; fails the test on any rejected row. */
  async function applied(type: string, rows: Row[], mode = JobMode.Apply): Promise<string> {
    const jobId = await staged(type, rows, mode);
    await service.apply({ jobId, orgId, object: type, chunk: 0 });
    const errors = await context.dataSource.query(
      `SELECT source_row, message FROM row_error WHERE job_id = $1`,
      [jobId],
    );
    expect(errors).toEqual([]);
    await finish(jobId);
    return jobId;
  }

  /** What status does once every chunk is in: the organization may start its next job. */
  async function finish(jobId: string): Promise<void> {
    await context.dataSource.query(
      `UPDATE job SET status = 'COMPLETED', finished_at = now() WHERE id = $1`,
      [jobId],
    );
  }

  async function changesOf(jobId: string) {
    return context.dataSource.query(
      `SELECT chunk_seq AS "chunkSeq", row_index AS "rowIndex", organization_id AS "orgId", object,
              action, object_id AS "objectId", key_display AS "key", before, after,
              file_ordinal AS "fileOrdinal", source_row AS "sourceRow"
         FROM job_change WHERE job_id = $1 ORDER BY chunk_seq, row_index`,
      [jobId],
    );
  }

  async function userId(email: string): Promise<string | undefined> {
    const [row] = await context.dataSource.query<{ id: string }[]>(
      `SELECT id FROM "user" WHERE organization_id = $1 AND key_norm = $2`,
      [orgId, email.toLowerCase()],
    );
    return row?.id;
  }

  // Declaration order: Email, First Name, Last Name, User Profile, Contact Center Enabled, Site,
  // Teams, Skill Profile, Agent Profile, Multimedia Profile, External Id, Default DN.
  const ADA: Row = {
    Email: 'ada@example.com',
    'First Name': 'Ada',
    'User Profile': 'Agents',
    Site: 'Austin',
    Teams: 'Sales',
    'Agent Profile': 'Austin Agents',
  };
  const ADA_VALUES = [
    'ada@example.com',
    'Ada',
    null,
    'Agents',
    'TRUE',
    'Austin',
    'Sales',
    null,
    'Austin Agents',
    null,
    null,
    null,
  ];

  it('records a create, an update column by column, a delete, and nothing for an unchanged row', async () => {
    const bob = { ...ADA, Email: 'bob@example.com', 'First Name': 'Bob' };
    const created = await applied('user', [ADA, bob]);
    const adaId = await userId('ada@example.com');
    expect(await changesOf(created)).toEqual([
      {
        chunkSeq: 0,
        rowIndex: 0,
        orgId,
        object: 'user',
        action: 'create',
        objectId: adaId,
        key: 'ada@example.com',
        before: null,
        after: ADA_VALUES,
        fileOrdinal: 0,
        sourceRow: 2,
      },
      expect.objectContaining({ rowIndex: 1, action: 'create', key: 'bob@example.com' }),
    ]);

    // Bob unchanged; Ada's name, a reference (User Profile) and a list of references (Teams) change.
    const changed = {
      ...ADA,
      'First Name': 'Augusta',
      'User Profile': 'Supervisors',
      Teams: 'Support|Sales',
    };
    const updated = await applied('user', [bob, changed]);
    expect(await changesOf(updated)).toEqual([
      {
        chunkSeq: 0,
        rowIndex: 1,
        orgId,
        object: 'user',
        action: 'update',
        objectId: adaId,
        key: 'ada@example.com',
        before: ADA_VALUES,
        after: [
          'ada@example.com',
          'Augusta',
          null,
          'Supervisors',
          'TRUE',
          'Austin',
          // Canonical text: a set of references is written sorted, whatever order the file used.
          'Sales|Support',
          null,
          'Austin Agents',
          null,
          null,
          null,
        ],
        fileOrdinal: 0,
        sourceRow: 3,
      },
    ]);

    const bobId = await userId('bob@example.com');
    const deleted = await applied('user', [{ Email: 'BOB@example.com', Action: 'DELETE' }]);
    expect(await changesOf(deleted)).toEqual([
      {
        chunkSeq: 0,
        rowIndex: 0,
        orgId,
        object: 'user',
        action: 'delete',
        objectId: bobId,
        key: 'bob@example.com',
        before: ['bob@example.com', 'Bob', ...ADA_VALUES.slice(2)],
        after: null,
        fileOrdinal: 0,
        sourceRow: 2,
      },
    ]);
    expect(await userId('bob@example.com')).toBeUndefined();
  });

  it('records for a validate job exactly what an apply of the same rows then records', async () => {
    const rows: Row[] = [
      { ...ADA, Email: 'carl@example.com', 'First Name': 'Carl' },
      { ...ADA, Email: 'dora@example.com', 'First Name': 'Dora' },
    ];
    await applied('user', [rows[1]]);
    const edited = [rows[0], { ...rows[1], 'Last Name': 'Explorer', Teams: '' }];
    const preview = await applied('user', edited, JobMode.Validate);
    expect(await userId('carl@example.com')).toBeUndefined();
    const apply = await applied('user', edited);
    const previewed = await changesOf(preview);
    const made = await changesOf(apply);
    expect(previewed.map((c: { action: string }) => c.action)).toEqual(['create', 'update']);
    // A create's id is made when it is written, so the preview's is not the one the apply gave.
    const comparable = (changes: { objectId: string; action: string }[]) =>
      changes.map((c) => ({ ...c, objectId: c.action === 'create' ? 'new' : c.objectId }));
    expect(comparable(previewed)).toEqual(comparable(made));
    expect(made[1].after).toEqual(expect.arrayContaining(['Explorer']));
    expect(made[1].after[6]).toBeNull();
  });

  it('records what a hook changed besides the rows: the default flag moving to a new code', async () => {
    await applied('work-type', [{ Name: 'Breaks', Type: 'IDLE_CODE' }]);
    await applied('auxiliary-code', [{ Name: 'Lunch', Default: 'TRUE', 'Work Type': 'Breaks' }]);
    const [lunch] = await context.dataSource.query<{ id: string }[]>(
      `SELECT id FROM auxiliary_code WHERE organization_id = $1 AND key_norm = 'lunch'`,
      [orgId],
    );
    const coffee = { Name: 'Coffee', Default: 'TRUE', 'Work Type': 'Breaks' };
    // Declaration order: Name, Description, Default, Work Type.
    const lunchMoved = {
      rowIndex: 1_000_000,
      action: 'update',
      objectId: lunch.id,
      key: 'Lunch',
      before: ['Lunch', null, 'TRUE', 'Breaks'],
      after: ['Lunch', null, 'FALSE', 'Breaks'],
      sourceRow: 0,
    };

    // The preview shows it too, though its write was rolled back with the rest.
    const preview = await applied('auxiliary-code', [coffee], JobMode.Validate);
    expect(await changesOf(preview)).toEqual([
      expect.objectContaining({ rowIndex: 0, action: 'create', key: 'Coffee' }),
      expect.objectContaining(lunchMoved),
    ]);
    const job = await applied('auxiliary-code', [coffee]);
    expect(await changesOf(job)).toEqual([
      expect.objectContaining({ rowIndex: 0, action: 'create', key: 'Coffee' }),
      expect.objectContaining(lunchMoved),
    ]);
    const defaults = await context.dataSource.query<{ name: string }[]>(
      `SELECT key_display AS name FROM auxiliary_code WHERE organization_id = $1 AND is_default ORDER BY 1`,
      [orgId],
    );
    expect(defaults).toEqual([{ name: 'Coffee' }]);
  });

  it('binds a name many rows of a chunk state to one object, and rejects every row that states a missing one', async () => {
    // Site and User Profile read nothing else of the row, so the chunk binds each name once and
    // the rows share the outcome (ReferenceBinder's SharedBindings).
    const row = (email: string, cells: Row): Row => ({ ...ADA, Email: email, Teams: '', ...cells });
    const jobId = await staged('user', [
      row('bo@example.com', {}),
      row('cy@example.com', {}),
      row('di@example.com', { Site: 'Paris' }),
      row('ed@example.com', { Site: 'Paris' }),
      row('fe@example.com', { 'User Profile': 'Nobody' }),
      row('gu@example.com', { 'User Profile': 'AGENTS' }),
    ]);
    const siteBinding = jest.spyOn(getObject('user').column('Site').kind.reference!, 'bind');
    let siteBindings: number;
    try {
      await service.apply({ jobId, orgId, object: 'user', chunk: 0 });
    } finally {
      siteBindings = siteBinding.mock.calls.length;
      siteBinding.mockRestore();
    }
    // Six rows state a Site, two names among them: each name is bound once.
    expect(siteBindings).toBe(2);
    const errors = await context.dataSource.query(
      `SELECT source_row, message FROM row_error WHERE job_id = $1 ORDER BY source_row`,
      [jobId],
    );
    expect(errors).toEqual([
      { source_row: 4, message: "Site: no site named 'Paris'; create it first or fix the name" },
      { source_row: 5, message: "Site: no site named 'Paris'; create it first or fix the name" },
      {
        source_row: 6,
        message: "User Profile: no user profile named 'Nobody'; create it first or fix the name",
      },
    ]);
    const users = await context.dataSource.query(
      `SELECT u.key_norm AS email, s.name AS site, p.name AS profile FROM "user" u
         JOIN site s ON s.id = u.site_id JOIN user_profile p ON p.id = u.user_profile_id
        WHERE u.organization_id = $1 AND u.key_norm IN ('bo@example.com', 'cy@example.com', 'gu@example.com')
        ORDER BY u.key_norm`,
      [orgId],
    );
    expect(users).toEqual([
      { email: 'bo@example.com', site: 'Austin', profile: 'Agents' },
      { email: 'cy@example.com', site: 'Austin', profile: 'Agents' },
      { email: 'gu@example.com', site: 'Austin', profile: 'Agents' },
    ]);
    await finish(jobId);
  });

  it('leaves no change record when the chunk rolls back', async () => {
    const jobId = await staged('user', [{ ...ADA, Email: 'eve@example.com' }]);
    const cancel = context.dataSource.createQueryRunner();
    await cancel.connect();
    try {
      // The cancel holds the job row while the worker applies: its last check waits for it, after
      // the rows and their change records are written, then rolls the whole chunk back.
      await cancel.startTransaction();
      await cancel.query(`UPDATE job SET cancel_requested_at = now() WHERE id = $1`, [jobId]);
      const applying = service.apply({ jobId, orgId, object: 'user', chunk: 0 });
      await waitFor('the chunk to wait for the cancel at its commit check', async () => {
        const waiting: unknown[] = await context.dataSource.query(
          `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%FOR SHARE%'`,
        );
        return waiting.length > 0 || undefined;
      });
      const written = await context.dataSource.query(
        `SELECT count(*)::int AS n FROM job_change WHERE job_id = $1`,
        [jobId],
      );
      // Not visible outside the chunk's transaction while it is open.
      expect(written).toEqual([{ n: 0 }]);
      await cancel.commitTransaction();
      await applying;
    } finally {
      await cancel.release();
    }
    expect(await changesOf(jobId)).toEqual([]);
    expect(await userId('eve@example.com')).toBeUndefined();
    await finish(jobId);
  });
});
