const SECRET_KEYS = Symbol('bulkops:secret-env-keys');

/** Marks an env property whose value must never be printed, not even in a validation error. */
export function Secret(): PropertyDecorator {
  return (target, property) => {
    const ctor = target.constructor as { [SECRET_KEYS]?: Set<string | symbol> };
    ctor[SECRET_KEYS] = new Set([...(ctor[SECRET_KEYS] ?? []), property]);
  };
}

/** Whether a property was marked with `@Secret()`. */
export function isSecret(envClass: object, property: string): boolean {
  return (
    (envClass as { [SECRET_KEYS]?: Set<string | symbol> })[SECRET_KEYS]?.has(property) ?? false
  );
}
