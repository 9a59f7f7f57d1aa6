import type { RowCounts } from '@bulkops/contracts';
import type {
  ChunkForApply,
  JobChangeRepository,
  ObjectTableRepository,
  RecordToWrite,
} from '@bulkops/database';
import { getObject, settleRow, textOf, type Column } from '@bulkops/objects';
import { ApplyMessages } from './apply-messages';
import { BlobBooks } from './blob-books';
import { ChangeRecorder, type ChangedRow } from './change-recorder';
import type { ChunkScope } from './chunk-scope';
import { ChunkRows, reject, type LiveRow, type RejectedRow } from './chunk-rows';
import { ExpectedStateCheck } from './expected-state';
import { runHooks } from './hook-adapter';
import type { StepClock } from './step-clock';
import type { ObjectBlobsService } from './object-blobs.service';
import { ReferenceBinder } from './reference-binder';

/** What happened to a chunk's rows. */
export interface ChunkResult extends Omit<RowCounts, 'failed'> {
  rejected: RejectedRow[];
  /** Blob values no written or deleted row names any more; the caller releases them after commit. */
  released: string[];
}

/** What the write step did: the counts, the blobs to release and the rows that changed an object. */
interface Written extends Omit<ChunkResult, 'rejected'> {
  changed: ChangedRow[];
}

/** What applying a chunk works with besides the chunk itself. */
export interface ChunkServices {
  objects: ObjectTableRepository;
  blobs: ObjectBlobsService;
  changes: JobChangeRepository;
}

/**
 * Applies one chunk inside the caller's transaction, driven entirely by the declaration: read the
 * rows, load the existing objects and every referenced object in bulk, settle and bind each row,
 * run the type's hooks, keep the blobs the rows name, then create new objects with one COPY, replace
 * stored ones with one statement and delete with another, and record what changed (ChangeRecorder).
 * In validate mode the writes are rolled back to a savepoint and no blob is kept or released: every
 * check runs, nothing changes, and the changes an apply would make are recorded after the rollback,
 * which makes the validate job a preview.
 */
export class ChunkApplication {
  private readonly objects: ObjectTableRepository;
  private readonly books: BlobBooks;
  private readonly expectedState: ExpectedStateCheck;
  private readonly recorder: ChangeRecorder;

  constructor(
    private readonly scope: ChunkScope,
    services: ChunkServices,
  ) {
    this.objects = services.objects;
    this.books = new BlobBooks(scope, services.blobs);
    this.expectedState = new ExpectedStateCheck(scope, services.objects, services.changes);
    this.recorder = new ChangeRecorder(scope, services.objects, services.changes);
  }

  /** Applies the chunk; `clock` times its steps (see StepClock). */
  async run(chunk: ChunkForApply, validateOnly: boolean, clock: StepClock): Promise<ChunkResult> {
    const rows = ChunkRows.read(this.scope.declaration, chunk);
    clock.lap('read');
    await this.loadExisting(rows);
    clock.lap('existing');
    this.settle(rows);
    clock.lap('settle');
    const resolver = await new ReferenceBinder(this.scope, this.objects).bind(rows.upserts());
    clock.lap('references');
    await this.checkImmutable(rows);
    const sideChanges = await runHooks(this.scope, this.objects, 'beforeWrite', rows.live());
    await this.checkDeletes(rows);
    if (validateOnly) await this.scope.manager.query('SAVEPOINT validate_only');
    else await this.books.keep(rows.upserts());
    clock.lap('checks');
    const { changed, ...result } = await this.write(rows);
    const rejected = rows.rejected();
    sideChanges.push(...(await runHooks(this.scope, this.objects, 'afterWrite', rows.live())));
    if (validateOnly) await this.scope.manager.query('ROLLBACK TO SAVEPOINT validate_only');
    clock.lap('write');
    await this.recorder.record(chunk, changed, resolver, sideChanges);
    clock.lap('record');
    return { ...result, rejected, released: validateOnly ? [] : result.released };
  }

  /**
   * The stored object of each row's key; rows that expect another state of it are left alone, and a
   * DELETE of nothing is rejected.
   */
  private async loadExisting(rows: ChunkRows): Promise<void> {
    const { manager, declaration, orgId } = this.scope;
    const live = rows.live();
    const keys = live.map((r) => r.keyNorm);
    const existing = await this.objects.loadByKeys(manager, declaration, orgId, keys);
    for (const row of live) {
      row.existing = existing.get(row.keyNorm) ?? null;
      row.id = row.existing?.id ?? null;
    }
    await this.expectedState.check(live);
    for (const row of rows.deletes()) {
      if (!row.existing) reject(row, ApplyMessages.nothingToDelete(declaration, row.cells));
    }
  }

  /** Defaults and conditional rules on the full state: the row over the stored object, or a new one. */
  private settle(rows: ChunkRows): void {
    for (const row of rows.upserts()) {
      const base = row.existing
        ? { kind: 'existing' as const, values: row.existing.values }
        : { kind: 'create' as const };
      const settled = settleRow(this.scope.declaration, row.input, base);
      row.values = settled.values;
      settled.problems.forEach((p) => reject(row, p));
    }
  }

  /** Immutable fields (objects.md §1.4): a different value on update is IMMUTABLE_FIELD. */
  private async checkImmutable(rows: ChunkRows): Promise<void> {
    const changes: { row: LiveRow; column: Column; before: unknown }[] = [];
    for (const row of rows.upserts()) {
      if (!row.existing) continue;
      for (const column of this.scope.declaration.columns) {
        if (!column.immutable || row.input[column.index] === undefined) continue;
        const before = row.existing.values[column.index] ?? null;
        const after = row.values[column.index] ?? null;
        if (JSON.stringify(before) !== JSON.stringify(after)) changes.push({ row, column, before });
      }
    }
    const storedNames = await this.storedNames(
      changes.filter((c) => c.column.kind.pgType === 'uuid' && c.before !== null),
    );
    for (const { row, column, before } of changes) {
      const cell = (row.cells[column.index] ?? '').trim();
      const name = storedNames.get(textOf(before));
      reject(
        row,
        ApplyMessages.immutableChange(this.scope.declaration, column, cell, before, name),
      );
    }
  }

  /** Display keys of the objects stored references point at, one query per referenced type. */
  private async storedNames(
    changes: readonly { column: Column; before: unknown }[],
  ): Promise<Map<string, string>> {
    const { manager, orgId } = this.scope;
    const names = new Map<string, string>();
    const byTarget = new Map<string, string[]>();
    for (const { column, before } of changes) {
      const target = column.kind.reference!.target;
      byTarget.set(target, [...(byTarget.get(target) ?? []), String(before)]);
    }
    for (const [target, ids] of byTarget) {
      const keys = await this.objects.displayKeys(manager, getObject(target), orgId, ids);
      for (const [id, name] of keys) names.set(id, name);
    }
    return names;
  }

  /** A delete is refused while other objects reference the object (objects.md §1.3, IN_USE). */
  private async checkDeletes(rows: ChunkRows): Promise<void> {
    const { manager, declaration, orgId } = this.scope;
    const deletes = rows.deletes();
    const ids = deletes.map((r) => r.existing!.id);
    const referrers = await this.objects.referrers(manager, declaration, orgId, ids);
    for (const row of deletes) {
      const users = referrers.get(row.existing!.id);
      if (users) reject(row, ApplyMessages.inUse(declaration, row.existing!.keyDisplay, users));
    }
  }

  /** New objects in one COPY, replaced ones in one statement, deletes in another; counts what changed. */
  private async write(rows: ChunkRows): Promise<Written> {
    const { manager, declaration, orgId } = this.scope;
    const upserts = rows.upserts();
    const deletes = rows.deletes();
    const record = (r: LiveRow): RecordToWrite => ({
      keyNorm: r.keyNorm,
      keyDisplay: r.keyDisplay,
      values: r.values,
      content: BlobBooks.contentOf(declaration, r),
    });
    // Keys nothing stored holds are created with COPY; the others are compared and replaced.
    const fresh = upserts.filter((r) => !r.existing).map(record);
    const stored = upserts.filter((r) => r.existing).map(record);
    const written = [
      ...(await this.objects.insert(manager, declaration, orgId, fresh)),
      ...(await this.objects.upsert(manager, declaration, orgId, stored)),
    ];
    const ids = new Map(written.map((w) => [w.keyNorm, w.id]));
    upserts.forEach((row) => (row.id = ids.get(row.keyNorm) ?? row.id));
    const deleteIds = deletes.map((r) => r.existing!.id);
    const deleted = await this.objects.deleteByIds(manager, declaration, orgId, deleteIds);
    const created = written.filter((w) => w.created).length;
    const outcome = new Map(
      written.map((w) => [w.keyNorm, w.created ? 'create' : 'update'] as const),
    );
    const changed: ChangedRow[] = [
      ...upserts.flatMap((row) => {
        const action = outcome.get(row.keyNorm);
        return action ? [{ row, action }] : [];
      }),
      ...deletes.map((row) => ({ row, action: 'delete' as const })),
    ];
    return {
      created,
      updated: written.length - created,
      deleted,
      unchanged: upserts.length - written.length,
      released: this.books.released(upserts, deletes, written),
      changed,
    };
  }
}
