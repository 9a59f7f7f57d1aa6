/** The request property whose fields the request's log line carries (e.g. `orgId`). */
export const LOG_CONTEXT = 'bulkopsLogContext';

/** Adds fields to the log line pino-http writes when the request completes. */
export function addLogContext(request: object, fields: Record<string, string>): void {
  const holder = request as Record<string, Record<string, string> | undefined>;
  holder[LOG_CONTEXT] = { ...holder[LOG_CONTEXT], ...fields };
}

/** The fields added to a request so far. */
export function logContextOf(request: object): Record<string, string> {
  return (request as Record<string, Record<string, string> | undefined>)[LOG_CONTEXT] ?? {};
}
