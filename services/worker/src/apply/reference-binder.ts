import type { ObjectTableRepository } from '@bulkops/database';
import {
  textOf,
  UNKNOWN,
  type Column,
  type ObjectDeclaration,
  type Outcome,
  type Resolver,
  type RowValues,
} from '@bulkops/objects';
import { ApplyMessages } from './apply-messages';
import { BundleReferences } from './bundle-references';
import type { ChunkScope } from './chunk-scope';
import { reject, type LiveRow } from './chunk-rows';
import { ReferenceResolver } from './reference-resolver';

/**
 * Binds the names a chunk's rows use to ids (objects.md §1.5): every name is resolved with one query
 * per referenced type, then each reference column of each row is bound, checked against the row's
 * other cells, and its key displayed as the referenced object's key. In a bundle, names the tables
 * miss may be rows of the bundle's earlier types (BundleReferences).
 */
export class ReferenceBinder {
  private readonly shared = new SharedBindings();

  constructor(
    private readonly scope: ChunkScope,
    private readonly objects: ObjectTableRepository,
  ) {}

  /** Binds the rows' references; answers the resolver, whose loaded names the change records reuse. */
  async bind(upserts: readonly LiveRow[]): Promise<ReferenceResolver> {
    const { manager, orgId } = this.scope;
    const needs = this.needs(upserts);
    const stored = await ReferenceResolver.load(manager, this.objects, orgId, needs);
    const resolver = { resolve: await BundleReferences.over(stored, this.scope, needs) };
    for (const row of upserts) {
      const display = this.bindRow(row, resolver);
      this.checkKeptReferences(row);
      row.keyDisplay =
        row.existing?.keyDisplay ??
        this.scope.declaration.keyColumns.map((c) => display[c.index] ?? '').join('/');
    }
    return stored;
  }

  /** The referenced value a row states in a column, or undefined when it states none. */
  private stated(row: LiveRow, column: Column): unknown {
    const value = row.values[column.index];
    return row.input[column.index] === undefined || value === null ? undefined : value;
  }

  /** Every normalised name the rows use, by referenced type. */
  private needs(upserts: readonly LiveRow[]): Map<string, Set<string>> {
    const needs = new Map<string, Set<string>>();
    // Names already asked for, by column, of the bindings rows share (SharedBindings).
    const asked = new Map<number, Set<string>>();
    for (const row of upserts) {
      const view = new RowView(this.scope.declaration, row);
      for (const column of this.scope.declaration.referenceColumns) {
        const value = this.stated(row, column);
        if (value === undefined) continue;
        const spec = column.kind.reference!;
        if (readsOnlyItsName(column, value)) {
          const names = asked.get(column.index) ?? new Set<string>();
          if (names.has(value)) continue;
          asked.set(column.index, names.add(value));
        }
        const set = needs.get(spec.target) ?? new Set<string>();
        spec.needs(value, view).forEach((need) => set.add(need.norm));
        needs.set(spec.target, set);
      }
    }
    return needs;
  }

  /** Binds a row's references in declaration order; answers the display text of its key columns. */
  private bindRow(row: LiveRow, resolver: { resolve: Resolver }): string[] {
    const display: string[] = [];
    // What rules see while binding (failed columns unknown) and what names the key's target.
    const binding = new RowView(this.scope.declaration, row);
    const plain = new RowView(this.scope.declaration, row);
    for (const column of this.scope.declaration.columns) {
      const spec = column.kind.reference;
      const value = this.stated(row, column);
      if (!spec || value === undefined) {
        if (column.isKey) display[column.index] = textOf(row.values[column.index]);
        continue;
      }
      const parent = spec.within ? this.scope.declaration.column(spec.within) : undefined;
      if (parent && row.input[parent.index] === undefined) {
        reject(row, ApplyMessages.missingParentColumn(column, parent));
        binding.fail(column.index);
        continue;
      }
      const bound = this.shared.bind(column, value, () =>
        spec.bind(value, resolver.resolve, binding, column.name),
      );
      if (!bound.ok) {
        reject(row, bound.problem);
        binding.fail(column.index);
        continue;
      }
      if (column.isKey) {
        const target = resolver.resolve(spec.target, spec.needs(value, plain)[0]);
        if ('found' in target) display[column.index] = target.found.keyDisplay;
      }
      row.values[column.index] = bound.value;
    }
    return display;
  }

  /**
   * A stored reference kept because its column is absent was checked against the row's other cells
   * when it was written; if the row now changes one of those cells (a user's Site under its Teams),
   * the reference must be stated again so that it is checked against the new value.
   */
  private checkKeptReferences(row: LiveRow): void {
    if (!row.existing || row.problems.length > 0) return;
    const { declaration } = this.scope;
    for (const column of declaration.referenceColumns) {
      if (row.input[column.index] !== undefined || row.values[column.index] === null) continue;
      const changed = column.kind
        .reference!.uses.map((name) => declaration.column(name))
        .find(
          (used) =>
            row.input[used.index] !== undefined &&
            JSON.stringify(row.values[used.index] ?? null) !==
              JSON.stringify(row.existing!.values[used.index] ?? null),
        );
      if (changed) reject(row, ApplyMessages.restateReference(column, changed));
    }
  }
}

/**
 * Whether the column's binding of `value` reads nothing of the row but that one name: a reference
 * whose kind uses no other column (ReferenceSpec.uses), stated as one name.
 */
function readsOnlyItsName(column: Column, value: unknown): value is string {
  return typeof value === 'string' && column.kind.reference!.uses.length === 0;
}

/**
 * The outcomes of a chunk's bindings that read only their name (readsOnlyItsName). Every row that
 * states the same name binds it alike, and a chunk of users names the same few sites and profiles
 * thousands of times, so each name is bound once per chunk and its outcome shared. The name itself
 * is the key, so a lookup allocates nothing (a key built from several cells, tried for every
 * binding, cost more than the binding it saved).
 */
class SharedBindings {
  private readonly byColumn = new Map<number, Map<string, Outcome<unknown>>>();

  /** The outcome of binding `value` in the column: shared when it can be, else made by `bind`. */
  bind(column: Column, value: unknown, bind: () => Outcome<unknown>): Outcome<unknown> {
    if (!readsOnlyItsName(column, value)) return bind();
    let memo = this.byColumn.get(column.index);
    if (!memo) {
      memo = new Map();
      this.byColumn.set(column.index, memo);
    }
    let bound = memo.get(value);
    if (!bound) {
      bound = bind();
      memo.set(value, bound);
    }
    return bound;
  }
}

/**
 * A row as reference rules see it (RowValues): one per row and purpose, read as the row binds, so a
 * column bound earlier reads as its id, and one whose binding failed reads as unknown.
 */
class RowView implements RowValues {
  /** Columns whose binding failed; made only for a row that has one. */
  private failed: Set<number> | null = null;

  constructor(
    private readonly declaration: ObjectDeclaration,
    private readonly row: LiveRow,
  ) {}

  fail(index: number): void {
    (this.failed ??= new Set()).add(index);
  }

  get(name: string): unknown {
    const column = this.declaration.column(name);
    return this.failed?.has(column.index) ? UNKNOWN : this.row.values[column.index];
  }

  written(name: string): string | null {
    const cell = this.row.cells[this.declaration.column(name).index];
    return cell === null || cell === undefined ? null : cell.trim();
  }
}
