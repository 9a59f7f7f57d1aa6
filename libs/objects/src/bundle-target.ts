import type { ObjectDeclaration } from './define-object';
import type { CheckedRow } from './row-check';

/**
 * A row of a bundle that other rows of the same bundle may reference: recorded by ingest for every
 * create or update row with a key (whether it passed ingest or not), so that a reference to it can
 * say it was blocked by that row's rejection, and so that validate mode, which rolls every chunk's
 * writes back, can still bind to it.
 */
export interface BundleTarget {
  keyNorm: string;
  /** The last key column's norm (a team's bare name), for bare names of Parent/Name-keyed types. */
  leafNorm: string;
  /** The key as the row wrote it (`Austin/Sales`). */
  keyDisplay: string;
  /** Where the row is, as a message names it: `site.csv row 4`, `audio-file/hello.wav`. */
  place: string;
  /**
   * The row's own values by field, without its references (they are names, not ids, here): what a
   * reference rule of a referencing row may read about the object before it exists.
   */
  values: Record<string, unknown>;
}

/** The target a checked row of a bundle offers, or null when it creates nothing (a DELETE, no key). */
export function bundleTargetOf(
  declaration: ObjectDeclaration,
  cells: readonly (string | null)[],
  checked: Pick<CheckedRow, 'action' | 'keyNorm' | 'values'>,
  place: string,
): BundleTarget | null {
  if (checked.action !== 'upsert' || checked.keyNorm === null) return null;
  const written = declaration.keyColumns.map((c) => (cells[c.index] ?? '').trim());
  const values: Record<string, unknown> = {};
  for (const column of declaration.columns) {
    const value = checked.values[column.index];
    if (column.kind.reference || value === undefined) continue;
    values[column.field] = value;
  }
  return {
    keyNorm: checked.keyNorm,
    leafNorm: (written.at(-1) ?? '').toLowerCase(),
    keyDisplay: written.join('/'),
    place,
    values,
  };
}
