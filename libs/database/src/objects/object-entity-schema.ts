import {
  EntitySchema,
  type EntitySchemaColumnOptions,
  type EntitySchemaIndexOptions,
  type EntitySchemaRelationOptions,
} from 'typeorm';
import { snakeCase, type ObjectDeclaration } from '@bulkops/objects';

const BASE_TYPE = {
  text: 'text',
  integer: 'int',
  boolean: 'boolean',
  'text[]': 'text',
  uuid: 'uuid',
  'uuid[]': 'uuid',
  jsonb: 'jsonb',
} as const;

/**
 * The organization table as object tables see it: only what their foreign keys need. Object schemas
 * live in a DataSource of their own (see `objectSchemaDataSource`), because TypeORM cannot relate
 * EntitySchemas to decorator entities.
 */
export const ORGANIZATION_SCHEMA = new EntitySchema({
  name: 'organization',
  tableName: 'organization',
  columns: {
    id: { type: 'uuid', primary: true, primaryKeyConstraintName: 'organization_pkey' },
    name: { type: 'text' },
    createdAt: { name: 'created_at', type: 'timestamptz', createDate: true },
  },
});

/**
 * The TypeORM EntitySchema of an object table, derived from its declaration: the common frame (id,
 * organization, normalised and display key, timestamps) plus one column per declared column and
 * per content column (a blob column indexed with the organization, for the worker's reference check).
 * It documents the table for TypeORM's migration generator and lets a test prove the migrations
 * and the declarations agree. Reads and writes of object rows use bulk SQL, not this schema.
 */
export function objectEntitySchema(declaration: ObjectDeclaration): EntitySchema {
  const table = declaration.table;
  const columns: Record<string, EntitySchemaColumnOptions> = {
    id: {
      type: 'uuid',
      primary: true,
      generated: 'uuid',
      primaryKeyConstraintName: `${table}_pkey`,
    },
    organizationId: { type: 'uuid' },
    keyNorm: { type: 'text' },
    keyDisplay: { type: 'text' },
    createdAt: { type: 'timestamptz', createDate: true },
    updatedAt: { type: 'timestamptz', updateDate: true },
  };
  const relations: Record<string, EntitySchemaRelationOptions> = {
    organization: {
      type: 'many-to-one',
      target: 'organization',
      joinColumn: { name: 'organization_id', foreignKeyConstraintName: `fk_${table}_organization` },
      onDelete: 'CASCADE',
      nullable: false,
    },
  };
  const indices: EntitySchemaIndexOptions[] = [];
  for (const column of declaration.columns) {
    const pgType = column.kind.pgType;
    columns[column.field] = {
      name: column.dbColumn,
      type: BASE_TYPE[pgType],
      array: pgType.endsWith('[]'),
      nullable: !column.required,
    };
    const indexName = `ix_${table}_${snakeCase(column.field)}`;
    if (pgType === 'uuid') {
      relations[`${column.field}Target`] = {
        type: 'many-to-one',
        target: column.kind.reference!.target,
        joinColumn: {
          name: column.dbColumn,
          foreignKeyConstraintName: `fk_${table}_${snakeCase(column.field)}`,
        },
        nullable: !column.required,
      };
      indices.push({ name: indexName, columns: [column.field] });
    } else if (column.kind.reference) {
      // GIN indexes over uuid[] / jsonb answer "who references X" (IN_USE); TypeORM cannot express them.
      indices.push({ name: indexName, columns: [column.field], synchronize: false });
    }
  }
  for (const column of declaration.content) {
    columns[column.field] = {
      name: column.dbColumn,
      type: BASE_TYPE[column.pgType],
      array: column.pgType.endsWith('[]'),
      nullable: !column.required,
    };
    if (column.blob)
      indices.push({
        name: `ix_${table}_${column.dbColumn}`,
        columns: ['organizationId', column.field],
      });
  }
  if (declaration.keyColumns.length > 1) {
    indices.push({
      name: `ix_${table}_org_name`,
      columns: ['organizationId', declaration.keyColumns.at(-1)!.field],
      synchronize: false,
    });
  }
  return new EntitySchema({
    name: declaration.type,
    tableName: table,
    columns,
    relations,
    indices,
    uniques: [{ name: `uq_${table}_org_key`, columns: ['organizationId', 'keyNorm'] }],
  });
}
