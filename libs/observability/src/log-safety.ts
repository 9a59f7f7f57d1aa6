/** An error as it may appear in a log line. */
export interface LoggedError {
  type: string;
  message: string;
  stack?: string;
  code?: string;
  constraint?: string;
  table?: string;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/**
 * pino's `err` serializer for every service: logs what explains an error, never the data it was
 * about. Only an allowlist of fields is kept (no TypeORM `query`/`parameters`, no Postgres `detail`
 * or `where`, no `details` a caller attached), and a database error's message is replaced by its
 * SQLSTATE and constraint, because Postgres quotes the offending values in its messages (`Key
 * (name)=(…)`, `invalid input syntax for type integer: "…"`): CSV cell values never reach a log.
 */
export function safeError(error: unknown): LoggedError {
  if (!(error instanceof Error)) return { type: typeof error, message: 'non-error thrown' };
  const fields = error as unknown as Record<string, unknown>;
  const cause = (fields['driverError'] ?? error) as Record<string, unknown>;
  const fromDatabase = 'driverError' in fields || 'routine' in cause || 'severity' in cause;
  const code = text(fields['code']) ?? text(cause['code']);
  const constraint = text(cause['constraint']);
  const table = text(cause['table']);
  const message = fromDatabase
    ? `database error ${code ?? 'unknown'}${constraint ? ` on ${constraint}` : ''}${table ? ` (table ${table})` : ''}`
    : error.message;
  const frames = error.stack?.split('\n').filter((line) => /^\s+at /.test(line));
  return {
    type: error.constructor.name,
    message,
    ...(frames ? { stack: [`${error.constructor.name}: ${message}`, ...frames].join('\n') } : {}),
    ...(code ? { code } : {}),
    ...(constraint ? { constraint } : {}),
    ...(table ? { table } : {}),
  };
}
