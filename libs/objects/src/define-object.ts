import { fieldName, snakeCase, type Column, type ColumnDefinition } from './column';
import { compileContent, type ContentColumn, type ContentColumnDefinition } from './content-column';
import type { MediaFormat } from './media-format';
import type { ObjectHooks } from './object-hooks';

/** The optional last column of every CSV type (objects.md §1.3). */
export const ACTION_COLUMN = 'Action';

/** Columns the error report adds; the importer ignores them (§1.2, §1.8). */
export const REPORT_COLUMNS = ['Source File', 'Source Row', 'Error Message'] as const;

/** The columns a declaration writes, as a tuple that keeps each column's name and kind. */
export type ColumnDefinitions = readonly ColumnDefinition<unknown, unknown>[];

/** What every declaration file writes. */
interface DefinitionBase<T extends string, C extends ColumnDefinitions> {
  /** The slug of the API (`work-type`). */
  type: T;
  label: string;
  table: string;
  /** Key column names; a reference column first when the key is Parent + Name. */
  key: readonly NoInfer<C[number]['name']>[];
  columns: C;
}

/** A type uploaded as CSV files, alone or zipped: every type but the media ones. */
export interface CsvDefinition<
  T extends string,
  C extends ColumnDefinitions,
> extends DefinitionBase<T, C> {
  file?: 'csv';
}

/** A type uploaded as a zip of media files with an optional manifest (objects.md §17). */
export interface MediaDefinition<
  T extends string,
  C extends ColumnDefinitions,
> extends DefinitionBase<T, C> {
  file: 'zip';
  media: MediaFormat<MediaDeclaration>;
  /** Stored columns that are not CSV columns, filled by the media reader (audio content). */
  content?: readonly ContentColumnDefinition[];
}

/** The compiled form of the declared columns: the same tuple, each column with its derived names. */
export type CompiledColumns<C extends ColumnDefinitions> = {
  readonly [I in keyof C]: C[I] extends ColumnDefinition<infer V, infer S, infer N>
    ? Column<V, S, N>
    : never;
};

/**
 * A compiled declaration: everything every stage derives from the definition, derived once. `T` and
 * `C` keep the type's slug and columns as literal types (`HookContext` checks names against them).
 */
interface DeclarationBase<T extends string, C extends ColumnDefinitions> {
  readonly type: T;
  readonly label: string;
  readonly table: string;
  readonly key: readonly string[];
  readonly columns: CompiledColumns<C>;
  /** Stored, non-CSV columns, in the order staged and stored content values follow. */
  readonly content: readonly ContentColumn[];
  readonly keyColumns: readonly Column[];
  /** Types this one references, derived from its reference columns. */
  readonly dependsOn: readonly string[];
  /** Reference-bearing columns. */
  readonly referenceColumns: readonly Column[];
  /** Canonical header of templates and exports (Action last). */
  readonly header: readonly string[];
  /** Finds a column by its header spelling (any case, collapsed spaces, aliases). */
  columnByHeader(header: string): Column | undefined;
  /** Finds a column by its canonical name, as rules and hooks name it. */
  column(name: string): Column;
  /** Behaviour that is not column data, named in the type's folder. */
  readonly hooks: ObjectHooks<this>;
  /**
   * The same declaration with its hooks. Hooks read types through their declarations' types
   * (`HookContext<WorkType>`), so they cannot be part of the definition they are typed by; the
   * registry attaches them to the compiled declaration.
   */
  withHooks(hooks: ObjectHooks<this>): this;
}

/** A CSV type's declaration. */
export type CsvDeclaration<
  T extends string = string,
  C extends ColumnDefinitions = ColumnDefinitions,
> = DeclarationBase<T, C> & { readonly file: 'csv' };

/** A media type's declaration: its uploads, templates and exports are zips laid out by `media`. */
export type MediaDeclaration<
  T extends string = string,
  C extends ColumnDefinitions = ColumnDefinitions,
> = DeclarationBase<T, C> & { readonly file: 'zip'; readonly media: MediaFormat<MediaDeclaration> };

/** A compiled declaration; `file` tells the CSV variant from the media variant. */
export type ObjectDeclaration<
  T extends string = string,
  C extends ColumnDefinitions = ColumnDefinitions,
> = CsvDeclaration<T, C> | MediaDeclaration<T, C>;

/** How header cells are compared (§1.2): trimmed, inner spaces collapsed, any case. */
export function headerNorm(header: string): string {
  return header.trim().replace(/\s+/g, ' ').toLowerCase();
}

function compileColumns(definition: DefinitionBase<string, ColumnDefinitions>): Column[] {
  return definition.columns.map((c, index) => {
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
}

/** Every header spelling of every column; a spelling declared twice is a declaration mistake. */
function headerIndex(type: string, columns: readonly Column[]): Map<string, Column> {
  const byHeader = new Map<string, Column>();
  for (const c of columns) {
    for (const spelling of [c.name, ...(c.aliases ?? [])]) {
      const norm = headerNorm(spelling);
      if (byHeader.has(norm) || norm === headerNorm(ACTION_COLUMN)) {
        throw new Error(`${type}: header '${spelling}' is declared twice`);
      }
      byHeader.set(norm, c);
    }
  }
  return byHeader;
}

function keyColumnsOf(definition: DefinitionBase<string, ColumnDefinitions>, columns: Column[]) {
  return definition.key.map((k) => {
    const found = columns.find((c) => c.name === k);
    if (!found) throw new Error(`${definition.type}: key column '${k}' is not declared`);
    if (!found.required) throw new Error(`${definition.type}: key column '${k}' must be required`);
    return found;
  });
}

/** Compiles a declaration; throws on a declaration mistake (caught by registry.spec). */
export function defineObject<const T extends string, const C extends ColumnDefinitions>(
  definition: MediaDefinition<T, C>,
): MediaDeclaration<T, C>;
export function defineObject<const T extends string, const C extends ColumnDefinitions>(
  definition: CsvDefinition<T, C>,
): CsvDeclaration<T, C>;
export function defineObject(
  definition: CsvDefinition<string, ColumnDefinitions> | MediaDefinition<string, ColumnDefinitions>,
): ObjectDeclaration {
  const columns = compileColumns(definition);
  const byHeader = headerIndex(definition.type, columns);
  const byName = new Map(columns.map((c) => [c.name, c]));
  const keyColumns = keyColumnsOf(definition, columns);
  const referenceColumns = columns.filter((c) => c.kind.reference);
  if (definition.file === 'zip' && keyColumns.length !== 1) {
    throw new Error(`${definition.type}: a media type is keyed by its file name alone`);
  }
  const content = compileContent(definition.file === 'zip' ? (definition.content ?? []) : []);
  const dbColumns = [...columns, ...content].map((c) => c.dbColumn);
  if (new Set(dbColumns).size !== dbColumns.length) {
    throw new Error(
      `${definition.type}: two columns share a table column (${dbColumns.join(', ')})`,
    );
  }
  const compiled = {
    type: definition.type,
    label: definition.label,
    table: definition.table,
    key: definition.key,
    columns,
    content,
    keyColumns,
    referenceColumns,
    dependsOn: [...new Set(referenceColumns.map((c) => c.kind.reference!.target))],
    header: [...columns.map((c) => c.name), ACTION_COLUMN],
    columnByHeader: (header: string) => byHeader.get(headerNorm(header)),
    column(name: string): Column {
      const found = byName.get(name) ?? byHeader.get(headerNorm(name));
      if (!found) throw new Error(`${definition.type}: no column is named '${name}'`);
      return found;
    },
    hooks: {} as ObjectHooks,
    withHooks<D>(this: D, hooks: ObjectHooks): D {
      return { ...this, hooks };
    },
  };
  const declaration: ObjectDeclaration =
    definition.file === 'zip'
      ? { ...compiled, file: 'zip', media: definition.media }
      : { ...compiled, file: 'csv' };
  return declaration;
}
