import { snakeCase } from './column';
import type { PgType } from './kinds/kind';

/**
 * A stored column that is not a CSV column: what a media upload carries besides its cells (the
 * audio of an audio file: its sha256, size and format). A type's media reader fills it; templates,
 * exports, header checks and error reports never show it. It takes part in the upsert like any
 * column, so equal content makes an unchanged row through the same `IS DISTINCT FROM`.
 */
export interface ContentColumnDefinition {
  /** Property name; its Postgres column is the snake_case of it. */
  field: string;
  pgType: Exclude<PgType, 'uuid' | 'uuid[]'>;
  /** What the column holds, for people reading the declaration and the table. */
  description: string;
  /** Every row that carries content has a value (NOT NULL). */
  required?: boolean;
  /**
   * The value is the sha256 (hex) of bytes the reader staged through its BlobSink. The worker keeps
   * those bytes in the organization's blob store while a row names them, and removes them once none
   * does; the column is indexed for that reference check.
   */
  blob?: boolean;
}

/** A content column of a compiled declaration. */
export interface ContentColumn extends ContentColumnDefinition {
  dbColumn: string;
  /** Position among the content columns (and in staged and stored content values). */
  index: number;
}

/** Declares one content column. */
export function contentColumn(
  field: string,
  pgType: ContentColumnDefinition['pgType'],
  options: Omit<ContentColumnDefinition, 'field' | 'pgType'>,
): ContentColumnDefinition {
  return { field, pgType, ...options };
}

/** Compiles content columns: derived column names and positions. */
export function compileContent(definitions: readonly ContentColumnDefinition[]): ContentColumn[] {
  return definitions.map((c, index) => ({ ...c, dbColumn: snakeCase(c.field), index }));
}
