import type { EntityManager } from 'typeorm';
import type { ObjectDeclaration } from '@bulkops/objects';

/** Quotes an identifier (declarations name tables such as "user", a reserved word). */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** An object as stored: identity and its values in declaration order (ids for references). */
export interface StoredRecord {
  id: string;
  keyNorm: string;
  keyDisplay: string;
  values: unknown[];
  /** Content column values in declaration order (empty for CSV types). */
  content: unknown[];
}

/**
 * The columns every read of an object table selects: identity, key, each declared column, then the
 * content columns (media types).
 */
export function recordSelectList(declaration: ObjectDeclaration, alias = 't'): string {
  const stored = [...declaration.columns, ...declaration.content].map(
    (c) => `${alias}.${ident(c.dbColumn)}`,
  );
  return [`${alias}.id`, `${alias}.key_norm`, `${alias}.key_display`, ...stored].join(', ');
}

/** A row selected with `recordSelectList` as a StoredRecord, each value converted by its kind. */
export function toStoredRecord(
  declaration: ObjectDeclaration,
  row: Record<string, unknown>,
): StoredRecord {
  return {
    id: row['id'] as string,
    keyNorm: row['key_norm'] as string,
    keyDisplay: row['key_display'] as string,
    values: declaration.columns.map((c) => {
      const db = row[c.dbColumn];
      return db === null || db === undefined ? null : c.kind.fromDb(db);
    }),
    content: declaration.content.map((c) => row[c.dbColumn] ?? null),
  };
}

/**
 * The organization's stored objects of a type that `where` selects: SQL over the table as `t`, with
 * the organization as `$1` and `param` as `$2`.
 */
export async function selectRecords(
  manager: EntityManager,
  declaration: ObjectDeclaration,
  orgId: string,
  where: string,
  param: unknown,
): Promise<StoredRecord[]> {
  const rows: Record<string, unknown>[] = await manager.query(
    `SELECT ${recordSelectList(declaration)} FROM ${ident(declaration.table)} t
      WHERE t.organization_id = $1 AND (${where})`,
    [orgId, param],
  );
  return rows.map((row) => toStoredRecord(declaration, row));
}
