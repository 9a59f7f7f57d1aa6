import { randomUUID } from 'node:crypto';
import {
  Catch,
  HttpException,
  HttpStatus,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Counter } from 'prom-client';
import { BulkopsError, ErrorCode, formatBytes } from '@bulkops/contracts';
import { isPostgresUnavailable } from '@bulkops/database';
import { Metrics } from '@bulkops/observability';
import { ERROR_STATUS, reasonPhrase } from './error-status';

const CODE_OF_STATUS: Record<number, ErrorCode> = {
  400: ErrorCode.InvalidRequest,
  401: ErrorCode.Unauthorized,
  403: ErrorCode.Forbidden,
  404: ErrorCode.NotFound,
  413: ErrorCode.FileTooLarge,
};

/**
 * The longest message an error body carries. Messages quote what the client sent (a mode, a file
 * name, an object type); whatever slips through unbounded stops here, so every error answer stays
 * a few kilobytes at most.
 */
const MAX_MESSAGE_CHARS = 1000;

/** Seconds a client is asked to wait when Postgres or Redis is away (spec/api.md: 503 + Retry-After). */
const RETRY_AFTER_SECONDS = 5;

/** ioredis' ways of saying a command could not reach Redis. */
function isRedisUnavailable(error: unknown): boolean {
  const e = error as { name?: unknown; message?: unknown; code?: unknown };
  if (e?.name === 'MaxRetriesPerRequestError') return true;
  const message = typeof e?.message === 'string' ? e.message : '';
  return (
    message === 'Connection is closed.' ||
    message.startsWith("Stream isn't writeable") ||
    message.includes('Reached the max retries per request limit')
  );
}

function bounded(message: string): string {
  return message.length > MAX_MESSAGE_CHARS
    ? `${message.slice(0, MAX_MESSAGE_CHARS - 1)}…`
    : message;
}

/** An error of Express' body parsers (http-errors): the client's fault, with its own status. */
interface BodyParserError {
  status: number;
  type: string;
  limit?: number;
}

function asBodyParserError(exception: unknown): BodyParserError | null {
  if (typeof exception !== 'object' || exception === null) return null;
  const e = exception as { status?: unknown; type?: unknown; limit?: unknown };
  if (typeof e.status !== 'number' || typeof e.type !== 'string') return null;
  if (e.status < 400 || e.status >= 500) return null;
  return {
    status: e.status,
    type: e.type,
    ...(typeof e.limit === 'number' ? { limit: e.limit } : {}),
  };
}

/** What the body parsers' refusals mean for a client, in the voice of every other message. */
function bodyParserMessage(error: BodyParserError): string {
  switch (error.type) {
    case 'entity.too.large':
      return `The request body is larger than ${formatBytes(error.limit ?? 0)}, the most a JSON request may send; files go to POST /v1/jobs as multipart/form-data.`;
    case 'entity.parse.failed':
      return 'The request body is not valid JSON.';
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return 'The request body must be UTF-8 JSON without a content encoding.';
    default:
      return 'The request body could not be read; send it again.';
  }
}

/**
 * The one place errors become HTTP answers: `{statusCode, error, message, code, ...details}`.
 * Unknown errors are 500 with a generic sentence and an error id that is logged with the cause; no
 * stack, SQL or server path ever reaches a body.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpErrorFilter.name);
  private readonly answered: Counter;

  constructor(metrics: Metrics) {
    this.answered = metrics.counter(
      'bulkops_api_errors_total',
      'Error answers by code and HTTP status (409 JOB_ALREADY_ACTIVE: a submission refused because the organization has an active job)',
      ['code', 'status'],
    );
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    const { status, body } = this.describe(exception, request);
    this.answered.inc({ code: String(body['code']), status });
    if (response.headersSent) {
      response.destroy();
      return;
    }
    if (status === (HttpStatus.PAYLOAD_TOO_LARGE as number)) {
      // The client is sending more than we accept: stop receiving it. Other early answers (401, 403,
      // 404 before the file was read) let Node discard the rest of the body, so the client can
      // finish sending and read the answer instead of seeing a broken pipe.
      response.setHeader('Connection', 'close');
    }
    if (status === (HttpStatus.SERVICE_UNAVAILABLE as number)) {
      response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    }
    // A handler may have set a file's headers before failing; an error is always JSON.
    response.removeHeader('Content-Disposition');
    response.setHeader('Content-Type', 'application/json; charset=utf-8');
    response.status(status).json({ ...body, message: bounded(String(body['message'])) });
  }

  private describe(
    exception: unknown,
    request: Request,
  ): { status: number; body: Record<string, unknown> } {
    if (exception instanceof BulkopsError) {
      const status: number = ERROR_STATUS[exception.code] ?? HttpStatus.INTERNAL_SERVER_ERROR;
      if (status >= 500)
        this.logger.error({ err: exception, path: request.path }, exception.message);
      return {
        status,
        body: {
          ...exception.details,
          statusCode: status,
          error: reasonPhrase(status),
          message: exception.message,
          code: exception.code,
        },
      };
    }
    const parserError = asBodyParserError(exception);
    if (parserError) {
      return {
        status: parserError.status,
        body: {
          statusCode: parserError.status,
          error: reasonPhrase(parserError.status),
          message: bodyParserMessage(parserError),
          code: CODE_OF_STATUS[parserError.status] ?? ErrorCode.InvalidRequest,
        },
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const raw = exception.getResponse();
      const messages =
        typeof raw === 'object' && raw !== null
          ? (raw as { message?: string | string[] }).message
          : raw;
      const message = Array.isArray(messages)
        ? messages.map((m) => (m.endsWith('.') ? m : `${m}.`)).join(' ')
        : status === 404
          ? `There is no ${request.method} ${request.path}; see /docs for the API.`
          : String(messages ?? exception.message);
      return {
        status,
        body: {
          statusCode: status,
          error: reasonPhrase(status),
          message,
          code:
            CODE_OF_STATUS[status] ??
            (status >= 500 ? ErrorCode.InternalError : ErrorCode.InvalidRequest),
        },
      };
    }
    if (isPostgresUnavailable(exception) || isRedisUnavailable(exception)) {
      this.logger.warn(
        { path: request.path, reason: (exception as Error).message },
        'answered 503: Postgres or Redis unreachable',
      );
      return {
        status: 503,
        body: {
          statusCode: 503,
          error: reasonPhrase(503),
          message: `The service cannot reach its database or queue right now; try again in ${RETRY_AFTER_SECONDS} seconds.`,
          code: ErrorCode.ServiceUnavailable,
        },
      };
    }
    const errorId = randomUUID();
    this.logger.error({ err: exception, errorId, path: request.path }, 'unexpected error');
    return {
      status: 500,
      body: {
        statusCode: 500,
        error: reasonPhrase(500),
        message: `Something went wrong on our side (error id ${errorId}); try again, and quote the id if it keeps happening.`,
        code: ErrorCode.InternalError,
        errorId,
      },
    };
  }
}
