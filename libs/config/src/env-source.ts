/** Where configuration comes from: the process environment in services, a plain object in tests. */
export type EnvSource = Readonly<Record<string, string | undefined>>;

/** The process environment. This lib is the only place that reads it (lint-enforced). */
export function processEnv(): EnvSource {
  return process.env;
}
