/** A request as pino's standard serializer hands it to a custom one. */
export interface SerializedRequest {
  id?: unknown;
  method?: string;
  url?: string;
  headers?: Record<string, unknown>;
}

/** Headers worth a log line; everything else (credentials under any name) is left out. */
const LOGGED_HEADERS = ['host', 'user-agent', 'content-type', 'content-length', 'x-request-id'];
/** Whether a request carried the API token is worth knowing when reading a 401; its value never is. */
const PRESENCE_ONLY_HEADERS = ['authorization'];

/**
 * What a request log line keeps: method, path, the names of the query parameters (never their
 * values: clients put tokens in query strings), and an allow-list of headers — so a credential is
 * never written to a log, whatever header or parameter it was sent in.
 */
export function requestLog(req: SerializedRequest): Record<string, unknown> {
  const [path, query] = (req.url ?? '').split('?', 2);
  const headers: Record<string, unknown> = {};
  for (const name of LOGGED_HEADERS) {
    if (req.headers?.[name] !== undefined) headers[name] = req.headers[name];
  }
  for (const name of PRESENCE_ONLY_HEADERS) {
    if (req.headers?.[name] !== undefined) headers[name] = '[Redacted]';
  }
  return {
    id: req.id,
    method: req.method,
    url: path,
    ...(query !== undefined ? { queryParams: [...new URLSearchParams(query).keys()] } : {}),
    headers,
  };
}
