import type { EntityManager } from 'typeorm';
import {
  getObject,
  storedValues,
  type Column,
  type ColumnName,
  type Declared,
  type HookContext,
  type HookRow,
  type HookUpdate,
  type ObjectDeclaration,
  type Referrers,
  type ReferrerSearch,
  type RowProblem,
  type StoredObject,
} from '@bulkops/objects';
import { findReferrers, findReferrersByDetail, type ReferrerQuery } from './object-referrers';
import { ident, selectRecords } from './object-rows';
import { lockOrganization } from './organization-lock';

/** A stored value as a query parameter of its column's Postgres type. */
function param(column: Column, value: unknown): unknown {
  return column.kind.pgType === 'jsonb' && value !== null ? JSON.stringify(value) : value;
}

/**
 * An object a hook changed besides the chunk's own rows (the default flag moving to a new code):
 * stored values before and after, in declaration order, for the job's change records — so a
 * preview shows it and an undo puts it back.
 */
export interface HookSideChange {
  id: string;
  keyDisplay: string;
  before: unknown[];
  after: unknown[];
}

/**
 * The database half of `HookContext`: the model's questions (records by id, referrers through a
 * reference column, a named lock) answered with generic SQL built from declarations, inside the
 * chunk's transaction. Hooks name types and columns; only this class turns them into tables.
 */
export class ObjectHookContext implements HookContext<ObjectDeclaration> {
  /** What `update` changed, in order. */
  readonly sideChanges: HookSideChange[] = [];

  constructor(
    private readonly manager: EntityManager,
    private readonly declaration: ObjectDeclaration,
    private readonly orgId: string,
    readonly rows: readonly HookRow<ObjectDeclaration>[],
  ) {}

  upserts(): HookRow<ObjectDeclaration>[] {
    return this.rows.filter((row) => row.action === 'upsert' && !row.rejected);
  }

  updates(): HookUpdate<ObjectDeclaration>[] {
    return this.upserts().filter(
      (row): row is HookUpdate<ObjectDeclaration> => row.existing !== null && row.id !== null,
    );
  }

  async records<R extends Declared = never>(
    type: R['type'],
    ids: Iterable<string>,
  ): Promise<Map<string, StoredObject<R>>> {
    const found = await this.select<R>(getObject(type), 't.id = ANY($2::uuid[])', [
      ...new Set(ids),
    ]);
    return new Map(found.map((r) => [r.id, r]));
  }

  recordsWhere(
    column: ColumnName<ObjectDeclaration>,
    value: unknown,
  ): Promise<StoredObject<ObjectDeclaration>[]> {
    const stored = this.declaration.column(column);
    return this.select(
      this.declaration,
      `t.${ident(stored.dbColumn)} = $2::${stored.kind.pgType}`,
      param(stored, value),
    );
  }

  async update(ids: readonly string[], column: string, value: unknown): Promise<void> {
    if (ids.length === 0) return;
    const stored = this.declaration.column(column);
    // Read first: the objects whose value really changes, with their whole state for the records.
    const before = await selectRecords(
      this.manager,
      this.declaration,
      this.orgId,
      't.id = ANY($2::uuid[])',
      [...new Set(ids)],
    );
    const changing = before.filter(
      (r) => JSON.stringify(r.values[stored.index] ?? null) !== JSON.stringify(value ?? null),
    );
    if (changing.length === 0) return;
    await this.manager.query(
      `UPDATE ${ident(this.declaration.table)} SET ${ident(stored.dbColumn)} = $3::${stored.kind.pgType}, updated_at = now()
        WHERE organization_id = $1 AND id = ANY($2::uuid[])`,
      [this.orgId, changing.map((r) => r.id), param(stored, value)],
    );
    for (const record of changing) {
      const after = [...record.values];
      after[stored.index] = value;
      this.sideChanges.push({
        id: record.id,
        keyDisplay: record.keyDisplay,
        before: record.values,
        after,
      });
    }
  }

  async referrers<R extends Declared = never>(
    type: R['type'],
    ids: readonly string[],
    search: ReferrerSearch<R>,
  ) {
    return await findReferrers(this.manager, this.orgId, ids, this.referrerQuery(type, search));
  }

  async referrersByDetail<R extends Declared = never>(
    type: R['type'],
    ids: readonly string[],
    search: ReferrerSearch<R>,
  ) {
    return await findReferrersByDetail(
      this.manager,
      this.orgId,
      ids,
      this.referrerQuery(type, search),
    );
  }

  async rejectWhileReferenced<R extends Declared = never>(
    type: R['type'],
    rows: readonly HookUpdate<ObjectDeclaration>[],
    search: ReferrerSearch<R>,
    problem: (row: HookUpdate<ObjectDeclaration>, referrers: Referrers) => RowProblem,
  ): Promise<void> {
    if (rows.length === 0) return;
    const ids = rows.map((row) => row.id);
    const found = await this.referrers(type, ids, search);
    for (const row of rows) {
      const referrers = found.get(row.id);
      if (referrers) row.reject(problem(row, referrers));
    }
  }

  lock(name: string): Promise<void> {
    return lockOrganization(this.manager, this.orgId, `${this.declaration.type}:${name}`);
  }

  /** The referring type and columns a search names; each column must reference the hook's type. */
  private referrerQuery(type: string, search: ReferrerSearch<Declared>): ReferrerQuery {
    const referrer = getObject(type);
    const through = search.through.map((name) => referrer.column(name));
    for (const column of through) {
      if (column.kind.reference?.target !== this.declaration.type) {
        throw new Error(
          `${type}.${column.name} does not reference ${this.declaration.type}, so it names no referrers of it`,
        );
      }
    }
    const differing = search.differing && {
      column: referrer.column(search.differing.column),
      from: search.differing.from,
    };
    return { referrer, through, ...(differing ? { differing } : {}) };
  }

  private async select<R extends Declared>(
    declaration: ObjectDeclaration,
    where: string,
    value: unknown,
  ): Promise<StoredObject<R>[]> {
    const found = await selectRecords(this.manager, declaration, this.orgId, where, value);
    return found.map((stored) => {
      const values = storedValues(declaration, stored.values);
      // The caller's type argument names `declaration`, so the names and values it reads are R's.
      return {
        id: stored.id,
        keyDisplay: stored.keyDisplay,
        ...values,
      } as unknown as StoredObject<R>;
    });
  }
}
