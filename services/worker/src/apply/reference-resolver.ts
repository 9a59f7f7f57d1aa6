import type { EntityManager } from 'typeorm';
import { leafColumn, type NameTable, type ObjectTableRepository } from '@bulkops/database';
import {
  getObject,
  textOf,
  type ReferenceNeed,
  type Resolution,
  type Resolver,
  type TargetRecord,
} from '@bulkops/objects';

/**
 * The objects a chunk references, loaded in one query per referenced type, and the lookup the
 * reference kinds bind against. A bare name of a Parent/Name-keyed type (a team) resolves when
 * exactly one object has that name; several make it ambiguous (objects.md §1.5).
 */
export class ReferenceResolver {
  private readonly byNorm = new Map<string, Map<string, TargetRecord>>();
  private readonly byLeaf = new Map<string, Map<string, TargetRecord[]>>();
  private readonly loaded = new Map<string, readonly TargetRecord[]>();

  static async load(
    manager: EntityManager,
    objects: ObjectTableRepository,
    orgId: string,
    needs: ReadonlyMap<string, ReadonlySet<string>>,
  ): Promise<ReferenceResolver> {
    const resolver = new ReferenceResolver();
    for (const [target, norms] of needs) {
      const declaration = getObject(target);
      const records = await objects.loadTargets(manager, declaration, orgId, [...norms]);
      resolver.loaded.set(target, records);
      const byNorm = new Map(records.map((r) => [r.keyNorm, r]));
      resolver.byNorm.set(target, byNorm);
      if (declaration.keyColumns.length > 1) {
        const leaf = declaration.keyColumns.at(-1)!;
        const byLeaf = new Map<string, TargetRecord[]>();
        for (const record of records) {
          const name = textOf(record.values[leaf.field]).toLowerCase();
          byLeaf.set(name, [...(byLeaf.get(name) ?? []), record]);
        }
        resolver.byLeaf.set(target, byLeaf);
      }
    }
    return resolver;
  }

  /**
   * The names of every object loaded, as references to them are written (key and leaf): what the
   * change records need to write the chunk's new references as text without asking again.
   */
  addNamesTo(names: NameTable): void {
    for (const [target, records] of this.loaded) {
      const leaf = leafColumn(getObject(target));
      names.add(
        target,
        records.map((r) => ({
          id: r.id,
          key: r.keyDisplay,
          leaf: leaf ? textOf(r.values[leaf.field]) : r.keyDisplay,
        })),
      );
    }
  }

  /**
   * An object bound to besides the loaded ones (a row of the bundle that validate mode stands in
   * for), so that its name is known to the change records too.
   */
  remember(target: string, record: TargetRecord): void {
    this.loaded.set(target, [...(this.loaded.get(target) ?? []), record]);
  }

  readonly resolve: Resolver = (target: string, need: ReferenceNeed): Resolution => {
    const found = this.byNorm.get(target)?.get(need.norm);
    if (found) return { found };
    const byLeaf = this.byLeaf.get(target);
    if (byLeaf && !need.norm.includes('/')) {
      const candidates = byLeaf.get(need.norm) ?? [];
      if (candidates.length === 1) return { found: candidates[0] };
      if (candidates.length > 1) return { ambiguous: candidates };
    }
    return { missing: true };
  };
}
