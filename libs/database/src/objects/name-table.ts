import type { NameLookup } from '@bulkops/objects';

/** The names of one referenced object: its full key (`Austin/Sales`) and its leaf (`Sales`). */
export interface ObjectName {
  id: string;
  key: string;
  leaf: string;
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
