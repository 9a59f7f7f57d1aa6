import type { IncomingMessage } from 'node:http';
import type { Options } from 'pino-http';
import { logContextOf } from './log-context';
import { safeError } from './log-safety';
import { requestLog } from './request-log';

/**
 * How every service logs HTTP requests (pino-http): one line per completed request, health and
 * metrics probes left out. Tokens never reach a log line; neither do the values an error was about.
 * Requests are logged through an allow-list (requestLog): no header or query value that may carry a
 * credential is ever written.
 */
export function httpLogOptions(service: string, level: string): Options {
  // The fields authentication added (the organization) go into the completion line as fields of
  // its object: pino-http's customProps would make two extra child loggers per request, whatever
  // the level, which cost a sixth of the gateway's CPU per cached read (bench/read-latency.mjs).
  const withContext = (req: IncomingMessage, fields: Record<string, unknown>) => ({
    ...fields,
    ...logContextOf(req),
  });
  return {
    level,
    base: { service },
    serializers: { err: safeError, req: requestLog },
    autoLogging: { ignore: (req) => /^\/(health|metrics)/.test(req.url ?? '') },
    customSuccessObject: (req, _res, fields: Record<string, unknown>) => withContext(req, fields),
    customErrorObject: (req, _res, _error, fields: Record<string, unknown>) =>
      withContext(req, fields),
  };
}
