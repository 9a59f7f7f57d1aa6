/** The Postgres unique-violation error a driver throws, with the constraint that fired. */
export function uniqueViolation(error: unknown): string | null {
  const e = error as {
    code?: string;
    constraint?: string;
    driverError?: { code?: string; constraint?: string };
  };
  const source = e.driverError ?? e;
  return source.code === '23505' ? (source.constraint ?? '') : null;
}

/** Node socket errors: the server is not there (yet, or any more). */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH']);

/** Postgres' own "go away for now": admin/crash shutdown, starting up, too many connections. */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);

/** What node-postgres and TypeORM say when a connection broke or none can be had. */
const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Connection is not established',
];

/**
 * Whether an error means Postgres could not be reached or dropped the connection: retry later, it is
 * no fault of the request or the data. SQLSTATE class 08 is "connection exception".
 */
export function isPostgresUnavailable(error: unknown): boolean {
  for (let e = error as Record<string, unknown> | undefined, depth = 0; e && depth < 4; depth++) {
    const code = typeof e['code'] === 'string' ? e['code'] : '';
    if (SOCKET_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code) || code.startsWith('08'))
      return true;
    const message = typeof e['message'] === 'string' ? e['message'] : '';
    if (UNAVAILABLE_MESSAGES.some((m) => message.includes(m))) return true;
    e = (e['driverError'] ?? e['cause']) as Record<string, unknown> | undefined;
  }
  return false;
}
