import type { Column, NameLookup, ObjectDeclaration } from '@bulkops/objects';

/** The names of one referenced object: its full key (`Austin/Sales`) and its leaf (`Sales`). */
export interface ObjectName {
  id: string;
  key: string;
  leaf: string;
}

/**
 * The column a reference writes as the bare name of an object: the last key column of a Parent +
 * Name key (a team's Name); null for a one-column key, which is its own leaf.
 */
export function leafColumn(declaration: ObjectDeclaration): Column | null {
  return declaration.keyColumns.length > 1 ? declaration.keyColumns.at(-1)! : null;
}

/**
 * The names exports and the records API write for referenced objects, by target type and id, and
 * the `NameLookup` the column kinds' `format` asks. Filled from the same snapshot as the records.
 */
export class NameTable {
  private readonly byTarget = new Map<string, Map<string, ObjectName>>();

  add(target: string, names: readonly ObjectName[]): void {
    const byId = this.byTarget.get(target) ?? new Map<string, ObjectName>();
    for (const name of names) byId.set(name.id, name);
    this.byTarget.set(target, byId);
  }

  /** Whether the names of this object are known. */
  has(target: string, id: string): boolean {
    return this.byTarget.get(target)?.has(id) ?? false;
  }

  /**
   * Foreign keys and the IN_USE check keep every stored reference pointing at an existing object, so
   * an unknown id means broken data: it fails loudly instead of exporting a file that imports wrong.
   */
  readonly lookup: NameLookup = (target, id, form) => {
    const name = this.byTarget.get(target)?.get(id);
    if (!name)
      throw new Error(`stored ${target} reference ${id} names no ${target} of the organization`);
    return form === 'leaf' ? name.leaf : name.key;
  };
}
