import { fieldName, snakeCase, type Column, type ColumnDefinition } from './column';
import { compileContent, type ContentColumn, type ContentColumnDefinition } from './content-column';
import type { MediaHooks } from './media-hooks';
import type { ObjectHooks } from './object-hooks';

/** The optional last column of every CSV type (objects.md §1.3). */
export const ACTION_COLUMN = 'Action';

/** Columns the error report adds; the importer ignores them (§1.2, §1.8). */
export const REPORT_COLUMNS = ['Source File', 'Source Row', 'Error Message'] as const;

/** What a declaration file writes. */
export interface ObjectDefinition {
  /** The slug of the API (`work-type`). */
  type: string;
  label: string;
  /** What is uploaded: CSV files (alone or zipped), or a zip of media with a manifest. */
  file?: 'csv' | 'zip';
  table: string;
  /** Key column names; a reference column first when the key is Parent + Name. */
  key: readonly string[];
  columns: readonly ColumnDefinition<unknown, unknown>[];
  /** Stored columns that are not CSV columns, filled by the media reader (audio content). */
  content?: readonly ContentColumnDefinition[];
  /** Behaviour that is not column data, named in the type's folder. */
  hooks?: ObjectHooks;
  /** How a `zip` type's uploads, template and export are read and written; absent for CSV types. */
  media?: MediaHooks;
}

/** A compiled declaration: everything every stage derives from the definition, derived once. */
export interface ObjectDeclaration extends Omit<ObjectDefinition, 'columns' | 'content'> {
  file: 'csv' | 'zip';
  columns: readonly Column<unknown, unknown>[];
  /** Stored, non-CSV columns, in the order staged and stored content values follow. */
  content: readonly ContentColumn[];
  keyColumns: readonly Column<unknown, unknown>[];
  /** Types this one references, derived from its reference columns. */
  dependsOn: readonly string[];
  /** Reference-bearing columns. */
  referenceColumns: readonly Column<unknown, unknown>[];
  /** Canonical header of templates and exports (Action last). */
  header: readonly string[];
  /** Finds a column by its header spelling (any case, collapsed spaces, aliases). */
  columnByHeader(header: string): Column<unknown, unknown> | undefined;
  hooks: ObjectHooks;
}

/** How header cells are compared (§1.2): trimmed, inner spaces collapsed, any case. */
export function headerNorm(header: string): string {
  return header.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** Compiles a declaration; throws on a declaration mistake (caught by registry.spec). */
export function defineObject(definition: ObjectDefinition): ObjectDeclaration {
  const columns: Column<unknown, unknown>[] = definition.columns.map((c, index) => {
    const field = c.field ?? fieldName(c.name);
    const suffix = c.kind.pgType === 'uuid' ? '_id' : c.kind.pgType === 'uuid[]' ? '_ids' : '';
    return {
      ...c,
      field,
      dbColumn: `${snakeCase(field)}${suffix}`,
      index,
      isKey: definition.key.includes(c.name),
    };
  });
  const byHeader = new Map<string, Column<unknown, unknown>>();
  for (const c of columns) {
    for (const spelling of [c.name, ...(c.aliases ?? [])]) {
      const norm = headerNorm(spelling);
      if (byHeader.has(norm) || norm === headerNorm(ACTION_COLUMN)) {
        throw new Error(`${definition.type}: header '${spelling}' is declared twice`);
      }
      byHeader.set(norm, c);
    }
  }
  const keyColumns = definition.key.map((k) => {
    const found = columns.find((c) => c.name === k);
    if (!found) throw new Error(`${definition.type}: key column '${k}' is not declared`);
    if (!found.required) throw new Error(`${definition.type}: key column '${k}' must be required`);
    return found;
  });
  const referenceColumns = columns.filter((c) => c.kind.reference);
  const dependsOn = [...new Set(referenceColumns.map((c) => c.kind.reference!.target))];
  const content = compileContent(definition.content ?? []);
  const dbColumns = [...columns, ...content].map((c) => c.dbColumn);
  if (new Set(dbColumns).size !== dbColumns.length) {
    throw new Error(
      `${definition.type}: two columns share a table column (${dbColumns.join(', ')})`,
    );
  }
  const file = definition.file ?? 'csv';
  // Ingest reads a zip type only through its media hooks, and content only a media reader fills.
  if ((file === 'zip') !== (definition.media !== undefined)) {
    throw new Error(
      `${definition.type}: a 'zip' type needs media hooks, and only a 'zip' type may have them`,
    );
  }
  if (content.length > 0 && !definition.media) {
    throw new Error(`${definition.type}: content columns need media hooks to fill them`);
  }
  return {
    ...definition,
    file,
    columns,
    content,
    keyColumns,
    referenceColumns,
    dependsOn,
    header: [...columns.map((c) => c.name), ACTION_COLUMN],
    columnByHeader: (header) => byHeader.get(headerNorm(header)),
    hooks: definition.hooks ?? {},
  };
}
