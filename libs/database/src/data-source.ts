import { DataSource } from 'typeorm';
import type { DatabaseEnv } from '@bulkops/config';
import { OBJECT_TYPES } from '@bulkops/objects';
import { TRACKING_ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { objectEntitySchema, ORGANIZATION_SCHEMA } from './objects/object-entity-schema';
import { SnakeNamingStrategy } from './snake-naming.strategy';

/**
 * A DataSource that maps only the object tables, through the EntitySchemas derived from the
 * declarations. Used to generate a new type's migration and to prove migrations and declarations
 * agree; services read and write object rows with bulk SQL instead.
 */
export function objectSchemaDataSource(env: DatabaseEnv): DataSource {
  return new DataSource({
    type: 'postgres',
    url: env.databaseUrl,
    entities: [ORGANIZATION_SCHEMA, ...OBJECT_TYPES.map(objectEntitySchema)],
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    installExtensions: false,
    uuidExtension: 'pgcrypto',
    logging: false,
    extra: { max: 1 },
  });
}

/**
 * The DataSource of a service. `synchronize` is off everywhere: the schema comes only from
 * migrations. `applicationName` shows up in pg_stat_activity, which helps when several services
 * share one Postgres.
 */
export function createDataSource(env: DatabaseEnv, applicationName = 'bulkops'): DataSource {
  return new DataSource({
    type: 'postgres',
    url: env.databaseUrl,
    entities: TRACKING_ENTITIES,
    migrations: MIGRATIONS,
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    migrationsRun: false,
    logging: false,
    applicationName,
    extra: { max: env.databasePoolSize, connectionTimeoutMillis: 10_000 },
  });
}
