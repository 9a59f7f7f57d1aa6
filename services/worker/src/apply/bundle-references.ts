import { createHash } from 'node:crypto';
import { BundleTargetRepository, type RecordedTarget } from '@bulkops/database';
import { getObject, type Resolution, type Resolver, type TargetRecord } from '@bulkops/objects';
import type { ChunkScope } from './chunk-scope';
import type { ReferenceResolver } from './reference-resolver';

/** An id for an object validate mode pretends exists: stable per job, type and key, never stored. */
function standInId(jobId: string, type: string, keyNorm: string): string {
  const hex = createHash('sha256').update(`${jobId}/${type}/${keyNorm}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * References to objects that the same bundle creates in an earlier type (spec/api.md "Bundles").
 * A name the tables do not hold is looked up among the bundle's create rows of that type: if that
 * row was rejected (by ingest or by the worker: types are applied one after another, so its row
 * error exists by now), the reference is blocked and says by which row; in validate mode, where
 * every chunk's writes were rolled back, a row that passed stands in for the object it would have
 * created, so validate reports what apply would. A stand-in's id exists nowhere: the chunk's
 * foreign keys are deferred, and the savepoint validate mode rolls back to removes the write
 * before the commit checks them.
 */
export class BundleReferences {
  private readonly standIns = new Map<string, TargetRecord>();

  private constructor(
    private readonly stored: ReferenceResolver,
    private readonly recorded: Map<string, RecordedTarget[]>,
    private readonly scope: ChunkScope,
  ) {}

  /**
   * A resolver over `stored` that also knows the bundle's rows for the names `stored` misses; the
   * rows it stands in are remembered by `stored`, which names them to the change records.
   */
  static async over(
    stored: ReferenceResolver,
    scope: ChunkScope,
    needs: ReadonlyMap<string, ReadonlySet<string>>,
  ): Promise<Resolver> {
    if (!scope.bundle) return stored.resolve;
    const targets = new BundleTargetRepository();
    const recorded = new Map<string, RecordedTarget[]>();
    let standsIn = false;
    for (const [target, norms] of needs) {
      // A type's own rows are applied side by side, in no order: only earlier types are settled.
      if (target === scope.declaration.type) continue;
      const missing = [...norms].filter(
        (norm) => 'missing' in stored.resolve(target, { written: norm, norm }),
      );
      const rows = await targets.find(scope.manager, scope.orgId, scope.jobId, target, missing);
      for (const row of rows) {
        const byKey = `${target}\u0000${row.keyNorm}`;
        const byLeaf = `${target}\u0000${row.leafNorm}`;
        recorded.set(byKey, [...(recorded.get(byKey) ?? []), row]);
        if (byLeaf !== byKey) recorded.set(byLeaf, [...(recorded.get(byLeaf) ?? []), row]);
        standsIn ||= !row.rejected;
      }
    }
    if (standsIn && scope.validateOnly) {
      await scope.manager.query('SET CONSTRAINTS ALL DEFERRED');
    }
    const references = new BundleReferences(stored, recorded, scope);
    return (target, need) => references.resolve(target, need);
  }

  private resolve(target: string, need: { written: string; norm: string }): Resolution {
    const found = this.stored.resolve(target, need);
    if (!('missing' in found)) return found;
    const rows = this.rowsFor(target, need.norm);
    const passed = rows.filter((row) => !row.rejected);
    // Rows that passed are in the tables in apply mode; only validate mode has to stand them in.
    if (this.scope.validateOnly && passed.length > 0) {
      const byKey = new Map(passed.map((row) => [row.keyNorm, row]));
      if (byKey.size === 1) return { found: this.standIn(target, passed[0]) };
      // A bare name that several of the bundle's rows (of other parents) carry: as in the tables.
      return { ambiguous: [...byKey.values()].map((row) => this.standIn(target, row)) };
    }
    const rejected = rows.find((row) => row.rejected);
    return rejected ? { blocked: { place: rejected.place } } : found;
  }

  private rowsFor(target: string, norm: string): RecordedTarget[] {
    const rows = this.recorded.get(`${target}\u0000${norm}`) ?? [];
    // A bare name matches leaves only of a Parent/Name key, as ReferenceResolver does.
    const compound = getObject(target).keyColumns.length > 1;
    return rows.filter((row) => row.keyNorm === norm || (compound && !norm.includes('/')));
  }

  private standIn(target: string, row: RecordedTarget): TargetRecord {
    const key = `${target}\u0000${row.keyNorm}`;
    let record = this.standIns.get(key);
    if (!record) {
      record = {
        id: standInId(this.scope.jobId, target, row.keyNorm),
        keyNorm: row.keyNorm,
        keyDisplay: row.keyDisplay,
        values: row.values,
      };
      this.standIns.set(key, record);
      this.stored.remember(target, record);
    }
    return record;
  }
}
