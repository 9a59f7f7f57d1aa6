import { readdir } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { FINAL_JOB_STATUSES, JobStatus, type JobView } from '@bulkops/contracts';
import {
  ApiDriver,
  buildZip,
  createOrganization,
  createTestContext,
  Stack,
  waitFor,
  type ServiceName,
  type TestContext,
  type TestOrganization,
  type Upload,
} from '@bulkops/testing';
import { OwnRedis } from './support/own-redis';
import { TEAM_SITES, teamLines } from './support/team-upload';

/** 3 files × 2000 teams, every 400th naming a site that does not exist: an error file to compare. */
async function chaosUpload(): Promise<Upload> {
  const entries = Array.from({ length: 3 }, (_, f) => {
    const lines = ['Name,Site,Type'];
    for (let r = 0; r < 2000; r += 1) {
      const site = r % 400 === 7 ? 'Nowhere' : r % 2 === 0 ? 'Austin' : 'Denver';
      lines.push(`K${f}-${r},${site},AGENT`);
    }
    return { name: `teams-${f + 1}.csv`, content: `${lines.join('\r\n')}\r\n` };
  });
  return { name: 'teams.zip', content: await buildZip(entries) };
}

/**
 * The bound a disturbed job must finish within after the fault, stated for this machine (two shared
 * cores, STATUS_RECOVER_AFTER_MS 3 s in tests): undisturbed, this job takes about 5 s.
 */
const RECOVERY_BOUND_MS = 60_000;

/** What a finished job left behind, to compare with the undisturbed run. */
interface Outcome {
  status: string;
  counts: JobView['counts'];
  teams: string[];
  errors: string[][];
}

interface TrialResult {
  name: string;
  lost: number;
  doubled: number;
  recoveryMs: number;
}

/**
 * The chaos tier (issue 12): each service SIGKILLed mid-job and restarted, the worker twice on the
 * same chunk, Redis flushed and restarted; every trial must end exactly like an undisturbed run of
 * the same upload (tables, counts, error file, lock released). Runs against its own redis-server so
 * the shared one is never disturbed. A Postgres restart trial is not part of it (see the report).
 */
describe('recovery from faults of the machinery', () => {
  let context: TestContext;
  let redis: OwnRedis;
  let stack: Stack;
  let api: ApiDriver;
  let upload: Upload;
  let baseline: Outcome;
  const results: TrialResult[] = [];

  beforeAll(async () => {
    redis = await OwnRedis.start();
    context = await createTestContext({ REDIS_URL: redis.url });
    stack = await Stack.start(context, {
      INGEST_CHUNK_SIZE: '200',
      WORKER_CONCURRENCY: '1',
      JOB_LOCK_UPLOAD_TTL_MS: '5000',
      GATEWAY_PARTIAL_UPLOAD_GRACE_MS: '10000',
    });
    api = new ApiDriver(stack.gatewayUrl);
    upload = await chaosUpload();
    const org = await freshOrganization();
    baseline = await outcomeOf(org, (await submitted(org)).id);
    expect(baseline.status).toBe('COMPLETED_WITH_ERRORS');
    expect(baseline.counts).toMatchObject({ total: 6000, created: 5985, failed: 15 });
  }, 180_000);

  afterAll(async () => {
    if (results.length > 0) {
      const worst = results.reduce((a, b) => (b.recoveryMs > a.recoveryMs ? b : a));
      const lost = results.reduce((sum, r) => sum + r.lost, 0);
      const doubled = results.reduce((sum, r) => sum + r.doubled, 0);
      process.stdout.write(
        `${results.length} trials, ${lost} lost, ${doubled} doubled; worst recovery ${worst.recoveryMs} ms (${worst.name})\n` +
          `${results.map((r) => `  ${r.name}: ${r.recoveryMs} ms`).join('\n')}\n`,
      );
    }
    await stack?.stop();
    await context?.dispose();
    await redis?.kill();
  });

  async function freshOrganization(): Promise<TestOrganization> {
    const org = await createOrganization(context.dataSource);
    expect((await api.run(org.adminToken, 'site', TEAM_SITES)).status).toBe('COMPLETED');
    return org;
  }

  async function submitted(org: TestOrganization): Promise<JobView> {
    const answer = await api.submit(org.adminToken, 'team', upload);
    expect(answer.status).toBe(202);
    return answer.body;
  }

  async function outcomeOf(org: TestOrganization, jobId: string): Promise<Outcome> {
    const job = await api.finished(org.adminToken, jobId, 240_000);
    return {
      status: job.status,
      counts: job.counts,
      teams: await teamLines(context.dataSource, org.orgId),
      errors: await api.errorRows(org.adminToken, jobId),
    };
  }

  /** Compares with the undisturbed run and records the trial. */
  async function expectUndisturbed(
    name: string,
    org: TestOrganization,
    jobId: string,
    faultAt: number,
  ): Promise<void> {
    const outcome = await outcomeOf(org, jobId);
    const recoveryMs = Date.now() - faultAt;
    const seen = new Set(outcome.teams);
    const expected = new Set(baseline.teams);
    const lost = baseline.teams.filter((t) => !seen.has(t)).length;
    const doubled =
      outcome.teams.filter((t) => !expected.has(t)).length +
      Math.max(0, outcome.counts.created - baseline.counts.created);
    results.push({ name, lost, doubled, recoveryMs });
    expect({ lost, doubled }).toEqual({ lost: 0, doubled: 0 });
    expect(recoveryMs).toBeLessThan(RECOVERY_BOUND_MS);
    expect(outcome).toEqual(baseline);
    expect((await api.get('/v1/jobs/active', org.adminToken)).status).toBe(204);
    expect(await redis.command('exists', `${context.queuePrefix}:lock:org:${org.orgId}`)).toBe(0);
  }

  /** Waits until the job has applied some chunks but not all. */
  async function midApply(org: TestOrganization, jobId: string): Promise<void> {
    await waitFor(
      'the job to be part-way through applying',
      async () => {
        const job = (await api.get<JobView>(`/v1/jobs/${jobId}`, org.adminToken)).body;
        if (FINAL_JOB_STATUSES.includes(job.status))
          throw new Error(`job ended before the fault: ${job.status}`);
        return job.counts.processed > 0 || undefined;
      },
      120_000,
      20,
    );
  }

  async function killAndRestart(name: ServiceName, pauseMs = 500): Promise<number> {
    await stack.kill(name, 'SIGKILL');
    const faultAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
    await stack.startService(name);
    return faultAt;
  }

  it.each(['worker', 'status'] as const)(
    'a SIGKILLed %s mid-apply: the job resumes and ends exactly as undisturbed',
    async (service) => {
      const org = await freshOrganization();
      const job = await submitted(org);
      await midApply(org, job.id);
      const faultAt = await killAndRestart(service);
      await expectUndisturbed(`${service} SIGKILL mid-apply`, org, job.id, faultAt);
    },
    300_000,
  );

  it('a worker SIGKILLed twice on the same chunk (the second time while it is re-delivered)', async () => {
    const org = await freshOrganization();
    const job = await submitted(org);
    await midApply(org, job.id);
    // A chunk of this upload is applied in milliseconds, so a kill may land between two chunks, or
    // after the re-delivery already finished: neither is this trial. Each attempt kills while a chunk
    // is taken up, reads with the worker dead (nothing moves) whether that chunk was cut short, then
    // kills again as soon as its re-delivery (try 2) is taken up and checks the same; the attempt
    // counts only when both kills cut the same chunk short.
    let faultAt: number | null = null;
    let attempt = 0;
    for (;;) {
      attempt += 1;
      const status = (await api.get<JobView>(`/v1/jobs/${job.id}`, org.adminToken)).body.status;
      if (attempt > 8 || FINAL_JOB_STATUSES.includes(status)) {
        throw new Error(`no two kills landed on one chunk in ${attempt - 1} attempts (job ${status})`);
      }
      await inFlight(job.id, 1);
      const firstKillAt = Date.now();
      await stack.kill('worker', 'SIGKILL');
      const cut = await unappliedChunk(job.id, 1);
      await stack.startService('worker');
      if (cut === null) continue;
      faultAt ??= firstKillAt;
      await waitFor(
        `chunk ${cut} to be taken up again`,
        async () => (await triesOf(job.id, cut)) >= 2 || undefined,
        60_000,
        2,
      );
      await stack.kill('worker', 'SIGKILL');
      const cutAgain = (await unappliedChunk(job.id, 2, cut)) !== null;
      await stack.startService('worker');
      if (cutAgain) break;
    }
    const name = `worker SIGKILL twice on one chunk (attempt ${attempt})`;
    await expectUndisturbed(name, org, job.id, faultAt);
  }, 300_000);

  /** Waits until a chunk of the job is being applied for at least the `tries`-th time. */
  async function inFlight(jobId: string, tries: number): Promise<void> {
    await waitFor(
      `a chunk in its try ${tries} to be running`,
      async () => (await unappliedChunk(jobId, tries)) !== null || undefined,
      60_000,
      5,
    );
  }

  /**
   * A chunk of the job taken up at least `tries` times and not applied (`seq` when given): with the
   * worker dead, one whose try was cut short.
   */
  async function unappliedChunk(jobId: string, tries: number, seq?: number): Promise<number | null> {
    const rows = await context.dataSource.query<{ seq: number }[]>(
      `SELECT c.seq FROM chunk c WHERE c.job_id = $1 AND c.tries >= $2 AND ($3::int IS NULL OR c.seq = $3)
          AND NOT EXISTS (SELECT 1 FROM chunk_ledger l WHERE l.job_id = c.job_id AND l.seq = c.seq)
        ORDER BY c.seq LIMIT 1`,
      [jobId, tries, seq ?? null],
    );
    return rows[0]?.seq ?? null;
  }

  /** How many times a chunk has been taken up. */
  async function triesOf(jobId: string, seq: number): Promise<number> {
    const rows = await context.dataSource.query<{ tries: number }[]>(
      `SELECT tries FROM chunk WHERE job_id = $1 AND seq = $2`,
      [jobId, seq],
    );
    return rows[0]?.tries ?? 0;
  }

  it('a SIGKILLed ingest while it reads the upload: the upload is read again', async () => {
    const org = await freshOrganization();
    const job = await submitted(org);
    await waitFor(
      'ingest to start reading',
      async () =>
        (await api.get<JobView>(`/v1/jobs/${job.id}`, org.adminToken)).body.status ===
          JobStatus.InProgress || undefined,
      60_000,
      10,
    );
    const faultAt = await killAndRestart('ingest');
    await expectUndisturbed('ingest SIGKILL during ingest', org, job.id, faultAt);
  }, 300_000);

  it.each([
    ['Redis FLUSHALL mid-apply', () => redis.command('flushall')],
    [
      'Redis SIGKILL and restart mid-apply',
      async () => (await redis.kill(), await redis.restart()),
    ],
  ] as const)(
    '%s: nothing Redis forgot is lost',
    async (name, fault) => {
      const org = await freshOrganization();
      const job = await submitted(org);
      await midApply(org, job.id);
      const faultAt = Date.now();
      await fault();
      await expectUndisturbed(name, org, job.id, faultAt);
    },
    300_000,
  );

  it('a gateway SIGKILLed while receiving an upload blocks the organization only briefly, names no unreadable job, and leaves no partial file', async () => {
    const org = await freshOrganization();
    const socket = await startSlowUpload(stack.gatewayUrl, org.adminToken);
    await waitFor(
      'the upload to be part-stored',
      async () => (await partFiles()).length > 0 || undefined,
    );
    const faultAt = await killAndRestart('gateway');
    socket.destroy();
    api = new ApiDriver(stack.gatewayUrl);
    let accepted: JobView | undefined;
    await waitFor(
      'a new submission to be accepted',
      async () => {
        const answer = await api.submit(org.adminToken, 'team', upload);
        if (answer.status === 409) {
          // The dead upload never became a job: a refusal must not name it.
          expect(answer.body).toMatchObject({ code: 'JOB_ALREADY_ACTIVE', activeJobId: null });
          return undefined;
        }
        if (answer.status !== 202) {
          throw new Error(
            `${answer.status} ${answer.text}\n${stack.logs('gateway').slice(-15).join('\n')}`,
          );
        }
        accepted = answer.body;
        return true;
      },
      60_000,
      250,
    );
    await expectUndisturbed('gateway SIGKILL during upload', org, accepted!.id, faultAt);
    await waitFor(
      'the partial upload to be swept',
      async () => (await partFiles()).length === 0 || undefined,
      60_000,
      500,
    );
  }, 300_000);

  it('Redis down: the API answers 503 with Retry-After, readiness is red, logs stay JSON, and all resumes by itself', async () => {
    const org = await freshOrganization();
    await redis.kill();
    try {
      const refused = await api.submit(org.adminToken, 'team', upload);
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('5');
      expect(refused.body).toMatchObject({ statusCode: 503, code: 'SERVICE_UNAVAILABLE' });
      for (const service of ['gateway', 'status'] as const) {
        await waitFor(`${service} readiness to go red`, async () => {
          const ready = await fetch(`${stack.url(service)}/health/ready`);
          return ready.status === 503 || undefined;
        });
      }
    } finally {
      await redis.restart();
    }
    const faultAt = Date.now();
    await waitFor('the gateway to be ready again', async () => {
      const ready = await fetch(`${stack.url('gateway')}/health/ready`);
      return ready.ok || undefined;
    });
    const job = await submitted(org);
    await expectUndisturbed('Redis down, then back', org, job.id, faultAt);
    for (const service of ['gateway', 'ingest', 'worker', 'status'] as const) {
      const raw = stack.logs(service).filter((line) => !isJson(line));
      expect({ service, raw }).toEqual({ service, raw: [] });
    }
  }, 300_000);

  async function partFiles(): Promise<string[]> {
    const entries = await readdir(context.storageDir, { recursive: true }).catch(() => []);
    return entries.filter((e) => e.endsWith('.part')).map((e) => join(context.storageDir, e));
  }
});

function isJson(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}

/** A multipart upload whose fields come first (the lock is taken) and whose file keeps coming. */
function startSlowUpload(gatewayUrl: string, token: string): Promise<Socket> {
  const { hostname, port } = new URL(gatewayUrl);
  const boundary = 'bulkops-chaos';
  const head =
    `--${boundary}\r\nContent-Disposition: form-data; name="object"\r\n\r\nteam\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="slow.csv"\r\nContent-Type: text/csv\r\n\r\nName,Site,Type\r\n`;
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(
        `POST /v1/jobs HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${token}\r\n` +
          `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: 9000000\r\n\r\n${head}`,
      );
      socket.write('Slow,Austin,AGENT\r\n'.repeat(20_000), () => resolve(socket));
    });
    socket.on('error', () => undefined);
  });
}
