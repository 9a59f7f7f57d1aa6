import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isActiveStatus, JobMode, type PayloadOf, type RowCounts } from '@bulkops/contracts';
import {
  ChunkRepository,
  ChunkSettlementRepository,
  isPostgresUnavailable,
  JobChangeRepository,
  JobRepository,
  LedgerRepository,
  NotAppliedReason,
  ObjectTableRepository,
  RowErrorRepository,
} from '@bulkops/database';
import { BUNDLE, getObject, joinProblems } from '@bulkops/objects';
import { Metrics } from '@bulkops/observability';
import { JobProducer } from '@bulkops/queue';
import { WorkerEnv } from '../worker.env';
import { ChunkApplication } from './chunk-application';
import { ObjectBlobsService } from './object-blobs.service';
import { StepClock } from './step-clock';

/** Rolls a chunk's transaction back because its job stopped taking chunks while it was applied. */
class JobStopped extends Error {}

/**
 * Applies one chunk exactly once (spec/architecture.md step 3): in one transaction it locks the
 * chunk, skips it if its ledger row exists (a redelivery), applies the rows, records the rejected
 * ones with their original cells, and, if the job still takes chunks (not cancelled meanwhile),
 * writes the ledger row. Then it nudges status. A crash before the commit leaves nothing behind,
 * and the queue delivers the chunk again. Blobs the chunk stopped naming are released after the
 * commit (see ObjectBlobsService).
 *
 * Every try is counted in Postgres before it starts. A chunk that failed (or whose worker died)
 * WORKER_CHUNK_MAX_TRIES times is given up: its rows become NOT_APPLIED row errors through the same
 * settlement a cancel uses, so its job still finishes, with honest counts, instead of failing.
 */
@Injectable()
export class ApplyChunkService {
  private readonly logger = new Logger(ApplyChunkService.name);
  private readonly rows = this.metrics.counter(
    'bulkops_rows_applied_total',
    'Rows applied, by object and outcome',
    ['object', 'outcome'],
  );
  private readonly seconds = this.metrics.histogram(
    'bulkops_chunk_apply_seconds',
    'Time to apply one chunk',
    ['object'],
    [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
  );
  private readonly stepSeconds = this.metrics.counter(
    'bulkops_apply_step_seconds_total',
    'Time spent in each step of applying chunks (wall time; chunks applied side by side overlap)',
    ['object', 'step'],
  );

  constructor(
    private readonly dataSource: DataSource,
    private readonly chunks: ChunkRepository,
    private readonly jobs: JobRepository,
    private readonly ledger: LedgerRepository,
    private readonly rowErrors: RowErrorRepository,
    private readonly objects: ObjectTableRepository,
    private readonly producer: JobProducer,
    private readonly metrics: Metrics,
    private readonly blobs: ObjectBlobsService,
    private readonly settlement: ChunkSettlementRepository,
    private readonly env: WorkerEnv,
    private readonly changes: JobChangeRepository,
  ) {}

  async apply(payload: PayloadOf<'apply-chunk'>): Promise<void> {
    const { jobId, orgId, chunk: seq } = payload;
    const tried = await this.chunks.noteTry(orgId, jobId, seq);
    const maxTries = this.env.workerChunkMaxTries;
    if (tried && tried.tries > maxTries) {
      // Every earlier try ended without a ledger row and without a failure we saw: a crash each time.
      const cause = tried.lastFailure ?? 'the worker stopped each time while applying it';
      return this.giveUp(payload, tried.tries - 1, cause);
    }
    try {
      await this.applyOnce(payload);
    } catch (error) {
      if (!tried || isPostgresUnavailable(error)) throw error;
      const cause = 'an unexpected error on our side';
      await this.chunks.noteFailure(orgId, jobId, seq, cause);
      if (tried.tries < maxTries) throw error;
      this.logger.error(
        { orgId, jobId, chunk: seq, tries: tried.tries, err: error },
        'chunk could not be applied; its rows are given up as not applied',
      );
      await this.giveUp(payload, tried.tries, cause);
    }
  }

  /** Settles a chunk that will not apply as NOT_APPLIED row errors, and tells status. */
  private async giveUp(
    { jobId, orgId, chunk: seq }: PayloadOf<'apply-chunk'>,
    tries: number,
    cause: string,
  ): Promise<void> {
    const reason = NotAppliedReason.unappliable(tries, cause);
    const rows = await this.settlement.settle(orgId, jobId, seq, reason);
    if (rows !== null) this.logger.warn({ orgId, jobId, chunk: seq, rows, tries }, reason);
    await this.producer.enqueue('chunk-applied', { jobId, orgId, chunk: seq });
  }

  private async applyOnce({
    jobId,
    orgId,
    object,
    chunk: seq,
  }: PayloadOf<'apply-chunk'>): Promise<void> {
    const declaration = getObject(object);
    const timer = this.seconds.startTimer({ object });
    const clock = new StepClock((step, seconds) => this.stepSeconds.inc({ object, step }, seconds));
    const outcome = await this.dataSource
      .transaction(async (manager) => {
        const chunk = await this.chunks.lockForApply(manager, orgId, jobId, seq);
        if (!chunk || (await this.ledger.has(manager, orgId, jobId, seq))) return null;
        const job = await this.jobs.find(orgId, jobId, manager);
        if (!job || !isActiveStatus(job.status) || job.cancelRequestedAt) return null;
        clock.lap('lock');
        const validateOnly = job.mode === JobMode.Validate;
        const bundle = job.object === BUNDLE;
        const application = new ChunkApplication(
          { manager, orgId, jobId, declaration, bundle, validateOnly },
          { objects: this.objects, blobs: this.blobs, changes: this.changes },
        );
        const result = await application.run(chunk, validateOnly, clock);
        await this.rowErrors.insertMany(
          manager,
          orgId,
          jobId,
          result.rejected.map((r) => ({
            fileOrdinal: chunk.fileOrdinal,
            line: r.line,
            cells: r.cells,
            codes: [...new Set(r.problems.map((p) => p.code))],
            message: joinProblems(r.problems),
            ...(r.source ? { source: r.source } : {}),
          })),
        );
        clock.lap('errors');
        const counts = {
          created: result.created,
          updated: result.updated,
          deleted: result.deleted,
          unchanged: result.unchanged,
          failed: result.rejected.length,
        } satisfies RowCounts;
        // Checked again last: a cancel that committed while the rows were applied wins, and the whole
        // chunk rolls back (status settles it as not applied).
        if (!(await this.jobs.acceptsChunks(manager, orgId, jobId))) throw new JobStopped();
        await this.ledger.record(manager, orgId, jobId, {
          seq,
          rows: chunk.rows.length,
          ...counts,
        });
        clock.lap('ledger');
        return { counts, released: result.released };
      })
      .catch((error: unknown) => {
        if (error instanceof JobStopped) return null;
        throw error;
      });
    if (outcome) clock.lap('commit');
    timer();
    if (outcome) {
      await this.blobs.release(declaration, orgId, outcome.released);
      for (const [name, count] of Object.entries(outcome.counts))
        this.rows.inc({ object, outcome: name }, count);
    }
    await this.producer.enqueue('chunk-applied', { jobId, orgId, chunk: seq });
  }
}
