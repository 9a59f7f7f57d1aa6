import type { DataSource } from 'typeorm';
import { ident } from '@bulkops/database';
import { getObject } from '@bulkops/objects';

/**
 * Inserts `count` copies of one stored record of a type in a single statement, for tests and
 * benchmarks that need many records fast. Copies differ only in the last key column (a team's Name,
 * a user's Email): ` 1`, ` 2`, … appended, or `+1@`, `+2@`, … for an email, so each copy is a valid
 * row that an import would key exactly the same way. Works for any type from its declaration; the
 * organization needs at least one record of the type (import its fixtures first); a second call
 * for the same type continues the suffixes with `firstSuffix`. A media type's copies share the
 * template's stored bytes (their names do not end in the extension, so they are for counting and
 * exporting, not re-importing).
 */
export async function cloneRecords(
  dataSource: DataSource,
  orgId: string,
  type: string,
  count: number,
  firstSuffix = 1,
): Promise<void> {
  const declaration = getObject(type);
  const leaf = declaration.keyColumns.at(-1)!;
  const column = `t.${ident(leaf.dbColumn)}`;
  const newLeaf =
    leaf.kind.meta.type === 'email'
      ? `regexp_replace(${column}, '@', '+' || i || '@')`
      : `${column} || ' ' || i`;
  // The key ends with the leaf, in the spelling of the row that created it (display) and lower case (norm).
  const prefix = (key: string, cut: string) => `left(${key}, length(${key}) - length(${cut}))`;
  // Content columns (an audio file's sha256, size, format) are copied too: the copies share the bytes.
  const others = [...declaration.columns.filter((c) => c !== leaf), ...declaration.content].map(
    (c) => ident(c.dbColumn),
  );
  const [{ inserted }] = await dataSource.query<[{ inserted: number }]>(
    `WITH template AS (
       SELECT * FROM ${ident(declaration.table)} WHERE organization_id = $1 ORDER BY key_norm LIMIT 1
     ), copies AS (
       SELECT t.*, ${newLeaf} AS new_leaf FROM template t, generate_series($3::int, $3::int + $2::int - 1) AS i
     ), inserted AS (
     INSERT INTO ${ident(declaration.table)} (organization_id, key_norm, key_display, ${ident(leaf.dbColumn)}${others.map((c) => `, ${c}`).join('')})
     SELECT organization_id,
            ${prefix('t.key_norm', `lower(${column})`)} || lower(new_leaf),
            ${prefix('t.key_display', column)} || new_leaf,
            new_leaf${others.map((c) => `, t.${c}`).join('')}
       FROM copies t
     RETURNING 1
     )
     SELECT count(*)::int AS inserted FROM inserted`,
    [orgId, count, firstSuffix],
  );
  if (inserted !== count) {
    throw new Error(`cloneRecords: the organization has no ${type} to copy; import some first`);
  }
}
