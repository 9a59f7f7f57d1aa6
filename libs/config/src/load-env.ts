import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { BulkopsError, ErrorCode } from '@bulkops/contracts';
import type { EnvSource } from './env-source';
import { isSecret } from './secret.decorator';

/** A class whose camelCase properties are env variables (`databaseUrl` ↔ `DATABASE_URL`). */
export type EnvClass<T extends object = object> = new () => T;

/** The env variable behind a property: `databaseUrl` → `DATABASE_URL`. */
export function envName(property: string): string {
  return property.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

/** Validated configuration: each env class's frozen instance, looked up by its class. */
export class LoadedEnv {
  constructor(private readonly instances: ReadonlyMap<EnvClass, object>) {}

  get<T extends object>(envClass: EnvClass<T>): T {
    const instance = this.instances.get(envClass);
    if (!instance) {
      throw new Error(`${envClass.name} was not loaded; add it to the service's env classes`);
    }
    return instance as T;
  }

  classes(): EnvClass[] {
    return [...this.instances.keys()];
  }
}

/** Every problem of a configuration, reported together so one restart fixes them all. */
export class ConfigError extends BulkopsError {
  constructor(readonly problems: string[]) {
    super(
      ErrorCode.InvalidConfiguration,
      `Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
      { problems },
    );
  }
}

/**
 * Reads and validates the given env classes from `env`. Property initialisers are the defaults; an
 * empty string counts as unset. Throws one ConfigError listing every problem of every class.
 */
export function loadEnv(classes: readonly EnvClass[], env: EnvSource): LoadedEnv {
  const problems: string[] = [];
  const instances = new Map<EnvClass, object>();
  for (const envClass of classes) {
    const defaults = new envClass() as Record<string, unknown>;
    const plain: Record<string, unknown> = {};
    for (const property of Object.keys(defaults)) {
      const raw = env[envName(property)];
      plain[property] = raw === undefined || raw === '' ? defaults[property] : raw;
    }
    const instance = plainToInstance(envClass, plain, { enableImplicitConversion: true });
    const errors = validateSync(instance, { forbidUnknownValues: false });
    problems.push(...errors.flatMap((error) => describe(envClass, error, plain[error.property])));
    instances.set(envClass, Object.freeze(instance));
  }
  if (problems.length > 0) {
    throw new ConfigError(problems);
  }
  return new LoadedEnv(instances);
}

function describe(envClass: EnvClass, error: ValidationError, raw: unknown): string[] {
  const name = envName(error.property);
  const shown = isSecret(envClass, error.property)
    ? '(secret, not shown)'
    : raw === undefined
      ? 'not set'
      : `'${typeof raw === 'string' ? raw : JSON.stringify(raw)}'`;
  return Object.values(error.constraints ?? {}).map((constraint) => {
    const sentence = constraint.replace(error.property, name);
    return `${sentence.startsWith(name) ? sentence : `${name}: ${sentence}`} (value: ${shown})`;
  });
}
