import { ErrorCode } from '@bulkops/contracts';
import type {
  ChunkForApply,
  ObjectTableRepository,
  RecordToWrite,
  RowSource,
  StoredRecord,
} from '@bulkops/database';
import { describeReferrers } from '@bulkops/database';
import {
  checkRow,
  getObject,
  settleRow,
  targetNoun,
  textOf,
  UNKNOWN,
  type Column,
  type HookContext,
  type HookRow,
  type ObjectDeclaration,
  type RowProblem,
  type RowValues,
} from '@bulkops/objects';
import type { EntityManager } from 'typeorm';
import { ObjectBlobsService } from './object-blobs.service';
import { ReferenceResolver } from './reference-resolver';

/** A row of the chunk on its way through the steps. */
interface LiveRow {
  index: number;
  line: number;
  cells: (string | null)[];
  action: 'upsert' | 'delete';
  keyNorm: string;
  /** Parsed values in declaration order; undefined where the file has no such column. */
  input: unknown[];
  /** Settled and, after binding, stored values. */
  values: unknown[];
  keyDisplay: string;
  existing: StoredRecord | null;
  /** The object's id: the stored one, or the new one once written. */
  id: string | null;
  problems: RowProblem[];
  /** Content values in declaration content order, when the row carries content (a media row). */
  content: unknown[] | undefined;
  source: RowSource | undefined;
}

/** A rejected row as the error report records it. */
interface RejectedRow {
  line: number;
  cells: (string | null)[];
  problems: RowProblem[];
  source?: RowSource;
}

/** What happened to a chunk's rows. */
export interface ChunkResult {
  created: number;
  updated: number;
  deleted: number;
  unchanged: number;
  rejected: RejectedRow[];
  /** Blob values no written or deleted row names any more; the caller releases them after commit. */
  released: string[];
}

/**
 * Applies one chunk inside the caller's transaction, driven entirely by the declaration: read the
 * rows, load the existing objects and every referenced object in bulk, settle and bind each row,
 * run the type's hooks, keep the blobs the rows name, then write all upserts in one statement and
 * all deletes in another. In validate mode the writes are rolled back to a savepoint and no blob is
 * kept or released: every check runs, nothing changes.
 */
export class ChunkApplication {
  private readonly rows: LiveRow[] = [];
  private readonly rejected: ChunkResult['rejected'] = [];

  constructor(
    private readonly manager: EntityManager,
    private readonly objects: ObjectTableRepository,
    private readonly declaration: ObjectDeclaration,
    private readonly orgId: string,
    private readonly blobs: ObjectBlobsService,
    private readonly jobId: string,
  ) {}

  async run(chunk: ChunkForApply, validateOnly: boolean): Promise<ChunkResult> {
    this.read(chunk);
    await this.loadExisting();
    this.settle();
    await this.bindReferences();
    await this.checkImmutable();
    await this.runHook('beforeWrite');
    await this.checkDeletes();
    if (validateOnly) await this.manager.query('SAVEPOINT validate_only');
    else await this.keepBlobs();
    const result = await this.write();
    await this.runHook('afterWrite');
    if (validateOnly) await this.manager.query('ROLLBACK TO SAVEPOINT validate_only');
    return { ...result, rejected: this.rejected, released: validateOnly ? [] : result.released };
  }

  private live(): LiveRow[] {
    return this.rows.filter((row) => row.problems.length === 0);
  }

  private reject(row: LiveRow, problem: RowProblem): void {
    row.problems.push(problem);
  }

  /** Rows ingest already rejected (own rules, duplicate keys) go straight to the error report. */
  private read(chunk: ChunkForApply): void {
    chunk.rows.forEach((staged, index) => {
      const earlier = [
        ...(staged.problems ?? []),
        ...(chunk.rejections?.[String(index)] ? [chunk.rejections[String(index)]] : []),
      ];
      if (earlier.length > 0) {
        this.rejected.push({
          line: staged.line,
          cells: staged.cells,
          problems: earlier,
          ...(staged.source ? { source: staged.source } : {}),
        });
        return;
      }
      const checked = checkRow(this.declaration, staged.cells);
      this.rows.push({
        index,
        line: staged.line,
        cells: staged.cells,
        action: checked.action,
        keyNorm: checked.keyNorm ?? '',
        input: checked.values,
        values: checked.values,
        keyDisplay: '',
        existing: null,
        id: null,
        problems: [...checked.problems],
        content: staged.content
          ? this.declaration.content.map((c) => staged.content![c.field] ?? null)
          : undefined,
        source: staged.source,
      });
    });
  }

  private async loadExisting(): Promise<void> {
    const existing = await this.objects.loadByKeys(
      this.manager,
      this.declaration,
      this.orgId,
      this.live().map((r) => r.keyNorm),
    );
    for (const row of this.live()) {
      row.existing = existing.get(row.keyNorm) ?? null;
      row.id = row.existing?.id ?? null;
      if (row.action === 'delete' && !row.existing) {
        const written = this.declaration.keyColumns
          .map((c) => (row.cells[c.index] ?? '').trim())
          .join('/');
        this.reject(row, {
          code: ErrorCode.NotFound,
          column: this.declaration.key.join(' + '),
          message: `${this.declaration.key.join(' + ')}: no ${targetNoun(this.declaration.type)} '${written}' exists, so it cannot be deleted; check the name`,
        });
      }
    }
  }

  /** Defaults and conditional rules on the full state: the row over the stored object, or a new one. */
  private settle(): void {
    for (const row of this.live()) {
      if (row.action === 'delete') continue;
      const base = row.existing
        ? { kind: 'existing' as const, values: row.existing.values }
        : { kind: 'create' as const };
      const settled = settleRow(this.declaration, row.input, base);
      row.values = settled.values;
      settled.problems.forEach((p) => this.reject(row, p));
    }
  }

  /** Rules name columns canonically; look them up once per chunk instead of normalising per row. */
  private readonly columnsByName = new Map<string, Column>(
    this.declaration.columns.map((c) => [c.name, c]),
  );

  private column(name: string): Column {
    const column = this.columnsByName.get(name) ?? this.declaration.columnByHeader(name);
    if (!column) throw new Error(`${this.declaration.type}: a rule names unknown column '${name}'`);
    return column;
  }

  /** The row as reference rules see it; a reference column whose binding failed reads as unknown. */
  private view(row: LiveRow, failed: ReadonlySet<number> = new Set()): RowValues {
    return {
      get: (name) => {
        const column = this.column(name);
        return failed.has(column.index) ? UNKNOWN : row.values[column.index];
      },
      written: (name) => {
        const cell = row.cells[this.column(name).index];
        return cell === null || cell === undefined ? null : cell.trim();
      },
    };
  }

  /** Every name the chunk uses, resolved with one query per referenced type, then bound to ids. */
  private async bindReferences(): Promise<void> {
    const columns = this.declaration.referenceColumns;
    const needs = new Map<string, Set<string>>();
    const upserts = this.live().filter((r) => r.action === 'upsert');
    for (const row of upserts) {
      for (const column of columns) {
        const value = row.values[column.index];
        if (row.input[column.index] === undefined || value === null || value === undefined)
          continue;
        const spec = column.kind.reference!;
        const set = needs.get(spec.target) ?? new Set<string>();
        spec.needs(value, this.view(row)).forEach((need) => set.add(need.norm));
        needs.set(spec.target, set);
      }
    }
    const resolver = await ReferenceResolver.load(this.manager, this.objects, this.orgId, needs);
    for (const row of upserts) {
      const display: string[] = [];
      const failed = new Set<number>();
      for (const column of this.declaration.columns) {
        const value = row.values[column.index];
        const spec = column.kind.reference;
        if (
          spec &&
          row.input[column.index] !== undefined &&
          value !== null &&
          value !== undefined
        ) {
          const parent = spec.within ? this.column(spec.within) : undefined;
          if (parent && row.input[parent.index] === undefined) {
            this.reject(row, {
              code: ErrorCode.RequiredValue,
              column: column.name,
              message: `${column.name}: names are looked up in the row's ${parent.name}, but the file has no ${parent.name} column; add it`,
            });
            failed.add(column.index);
            continue;
          }
          const bound = spec.bind(value, resolver.resolve, this.view(row, failed), column.name);
          if (!bound.ok) {
            this.reject(row, bound.problem);
            failed.add(column.index);
            continue;
          }
          if (column.isKey) {
            const target = resolver.resolve(spec.target, spec.needs(value, this.view(row))[0]);
            if ('found' in target) display[column.index] = target.found.keyDisplay;
          }
          row.values[column.index] = bound.value;
        } else if (column.isKey) {
          display[column.index] = textOf(value);
        }
      }
      this.checkKeptReferences(row);
      row.keyDisplay =
        row.existing?.keyDisplay ??
        this.declaration.keyColumns.map((c) => display[c.index] ?? '').join('/');
    }
  }

  /**
   * A stored reference kept because its column is absent was checked against the row's other cells
   * when it was written; if the row now changes one of those cells (a user's Site under its Teams),
   * the reference must be stated again so that it is checked against the new value.
   */
  private checkKeptReferences(row: LiveRow): void {
    if (!row.existing || row.problems.length > 0) return;
    for (const column of this.declaration.referenceColumns) {
      if (row.input[column.index] !== undefined || row.values[column.index] === null) continue;
      const changed = column.kind
        .reference!.uses.map((name) => this.column(name))
        .find(
          (used) =>
            row.input[used.index] !== undefined &&
            JSON.stringify(row.values[used.index] ?? null) !==
              JSON.stringify(row.existing!.values[used.index] ?? null),
        );
      if (changed) {
        this.reject(row, {
          code: ErrorCode.RequiredValue,
          column: column.name,
          message: `${column.name}: the row changes ${changed.name}, but the file has no ${column.name} column to check against it; add the ${column.name} column`,
        });
      }
    }
  }

  /** Immutable fields (objects.md §1.4): a different value on update is IMMUTABLE_FIELD. */
  private async checkImmutable(): Promise<void> {
    const changes: { row: LiveRow; column: Column; before: unknown }[] = [];
    for (const row of this.live()) {
      if (row.action !== 'upsert' || !row.existing) continue;
      for (const column of this.declaration.columns) {
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
      const stored =
        before === null
          ? 'it is stored empty'
          : column.kind.pgType === 'uuid'
            ? `it is stored as '${storedNames.get(textOf(before)) ?? 'another object'}'`
            : typeof before === 'string' ||
                typeof before === 'number' ||
                typeof before === 'boolean'
              ? `it is stored as '${textOf(before)}'`
              : 'it is stored with another value';
      this.reject(row, {
        code: ErrorCode.ImmutableField,
        column: column.name,
        message: `${column.name}: cannot change once the ${targetNoun(this.declaration.type)} exists (${stored}, the row ${cell === '' ? 'leaves it empty' : `says '${cell}'`}); delete the object and create it again to change it`,
      });
    }
  }

  /** Display keys of the objects stored references point at, one query per referenced type. */
  private async storedNames(
    changes: readonly { column: Column; before: unknown }[],
  ): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    const byTarget = new Map<string, string[]>();
    for (const { column, before } of changes) {
      const target = column.kind.reference!.target;
      byTarget.set(target, [...(byTarget.get(target) ?? []), String(before)]);
    }
    for (const [target, ids] of byTarget) {
      for (const [id, name] of await this.objects.displayKeys(
        this.manager,
        getObject(target),
        this.orgId,
        ids,
      ))
        names.set(id, name);
    }
    return names;
  }

  private async runHook(stage: 'beforeWrite' | 'afterWrite'): Promise<void> {
    const hooks = this.declaration.hooks;
    if (!hooks[stage]) return;
    const rows: HookRow[] = this.live().map((row) => {
      const values: Record<string, unknown> = {};
      const existing: Record<string, unknown> | null = row.existing ? {} : null;
      this.declaration.columns.forEach((c) => {
        values[c.field] = row.values[c.index];
        if (existing) existing[c.field] = row.existing!.values[c.index];
      });
      return {
        action: row.action,
        values,
        existing,
        id: row.id,
        keyDisplay: row.keyDisplay,
        reject: (problem: RowProblem) => this.reject(row, problem),
        get rejected() {
          return row.problems.length > 0;
        },
      };
    });
    const context: HookContext = {
      orgId: this.orgId,
      rows,
      query: (sql, params) => this.manager.query(sql, [...params]),
    };
    await hooks[stage](context);
  }

  /** A delete is refused while other objects reference the object (objects.md §1.3, IN_USE). */
  private async checkDeletes(): Promise<void> {
    const deletes = this.live().filter((r) => r.action === 'delete');
    const referrers = await this.objects.referrers(
      this.manager,
      this.declaration,
      this.orgId,
      deletes.map((r) => r.existing!.id),
    );
    for (const row of deletes) {
      const users = referrers.get(row.existing!.id);
      if (!users) continue;
      this.reject(row, {
        code: ErrorCode.InUse,
        column: this.declaration.key.join(' + '),
        message: `${this.declaration.label} '${row.existing!.keyDisplay}' is used by ${describeReferrers(users)}; remove those references first`,
      });
    }
  }

  /** Content a row writes: its own, or (a row without content) the stored content it keeps. */
  private contentOf(row: LiveRow): unknown[] {
    return row.content ?? row.existing?.content ?? this.declaration.content.map(() => null);
  }

  /** The organization's blob store holds every blob the rows about to be written name. */
  private async keepBlobs(): Promise<void> {
    const upserts = this.live().filter((r) => r.action === 'upsert');
    const values = upserts.flatMap((r) =>
      ObjectBlobsService.valuesOf(this.declaration, this.contentOf(r)),
    );
    await this.blobs.keep(this.manager, this.declaration, this.orgId, this.jobId, values);
  }

  private async write(): Promise<Omit<ChunkResult, 'rejected'>> {
    const live = this.live();
    const upserts = live.filter((r) => r.action === 'upsert');
    const deletes = live.filter((r) => r.action === 'delete');
    const records: RecordToWrite[] = upserts.map((r) => ({
      keyNorm: r.keyNorm,
      keyDisplay: r.keyDisplay,
      values: r.values,
      content: this.contentOf(r),
    }));
    const written = await this.objects.upsert(this.manager, this.declaration, this.orgId, records);
    const ids = new Map(written.map((w) => [w.keyNorm, w.id]));
    upserts.forEach((row) => (row.id = ids.get(row.keyNorm) ?? row.id));
    const deleted = await this.objects.deleteByIds(
      this.manager,
      this.declaration,
      this.orgId,
      deletes.map((r) => r.existing!.id),
    );
    for (const row of this.rows) {
      if (row.problems.length > 0)
        this.rejected.push({
          line: row.line,
          cells: row.cells,
          problems: row.problems,
          ...(row.source ? { source: row.source } : {}),
        });
    }
    // Blobs the replaced or deleted state named and the new state does not.
    const writtenKeys = new Set(written.map((w) => w.keyNorm));
    const released = [
      ...upserts
        .filter((r) => r.existing && writtenKeys.has(r.keyNorm))
        .flatMap((r) => {
          const now = new Set(ObjectBlobsService.valuesOf(this.declaration, this.contentOf(r)));
          return ObjectBlobsService.valuesOf(this.declaration, r.existing!.content).filter(
            (v) => !now.has(v),
          );
        }),
      ...deletes.flatMap((r) => ObjectBlobsService.valuesOf(this.declaration, r.existing!.content)),
    ];
    const created = written.filter((w) => w.created).length;
    return {
      created,
      updated: written.length - created,
      deleted,
      unchanged: upserts.length - written.length,
      released,
    };
  }
}
