import type { RecordView } from '@bulkops/contracts';
import type { ObjectDeclaration } from './define-object';
import type { NameLookup } from './kinds/kind';

/**
 * The canonical text of each column of a stored record, in declaration order (objects.md §1.9):
 * each kind's `format`, references written by name through `names`; null for an empty field.
 * `stored` holds the values in declaration order as `ObjectTableRepository` reads them.
 */
export function canonicalValues(
  declaration: ObjectDeclaration,
  stored: readonly unknown[],
  names: NameLookup,
): (string | null)[] {
  return declaration.columns.map((column) => {
    const value = stored[column.index];
    if (value === null || value === undefined) return null;
    const text = column.kind.format(value, names);
    return text === '' ? null : text;
  });
}

/**
 * The cells of one export row: the canonical values in header order, empty fields as empty cells,
 * and `Action` empty and last — a row that, imported again, changes nothing. Not yet neutralised
 * against spreadsheet formulas; the CSV writer's caller does that.
 */
export function exportCells(
  declaration: ObjectDeclaration,
  stored: readonly unknown[],
  names: NameLookup,
): string[] {
  return [...canonicalValues(declaration, stored, names).map((text) => text ?? ''), ''];
}

/** A record as `GET /v1/objects/{type}/records` answers it: canonical values by column name. */
export function recordView(
  declaration: ObjectDeclaration,
  stored: readonly unknown[],
  names: NameLookup,
): RecordView {
  const values = canonicalValues(declaration, stored, names);
  return Object.fromEntries(declaration.columns.map((column, i) => [column.name, values[i]!]));
}

/**
 * The ids a stored record points at, by target type: exactly the names `canonicalValues` will ask
 * for. Kinds keep ids in shapes of their own (a uuid, a uuid[], jsonb grants), and `format` is the one
 * place that walks each shape, so it is run once with a lookup that only takes notes.
 */
export function referencedIds(
  declaration: ObjectDeclaration,
  stored: readonly unknown[],
  into = new Map<string, Set<string>>(),
): Map<string, Set<string>> {
  const note: NameLookup = (target, id) => {
    const ids = into.get(target) ?? new Set<string>();
    ids.add(id);
    into.set(target, ids);
    return '';
  };
  for (const column of declaration.referenceColumns) {
    const value = stored[column.index];
    if (value !== null && value !== undefined) column.kind.format(value, note);
  }
  return into;
}
