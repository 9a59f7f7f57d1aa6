import { BadRequestException, type ArgumentsHost } from '@nestjs/common';
import { BulkopsError, ErrorCode, JobAlreadyActiveError } from '@bulkops/contracts';
import { Metrics } from '@bulkops/observability';
import { HttpErrorFilter } from './http-error.filter';

/** A response double that records what the filter writes (no I/O involved). */
function respond(exception: unknown): {
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
} {
  const written = {
    status: 0,
    body: {} as Record<string, unknown>,
    headers: {} as Record<string, string>,
  };
  const response = {
    headersSent: false,
    setHeader: (name: string, value: string) => (written.headers[name.toLowerCase()] = value),
    removeHeader: (name: string) => delete written.headers[name.toLowerCase()],
    status(code: number) {
      written.status = code;
      return this;
    },
    json: (body: Record<string, unknown>) => (written.body = body),
  };
  const host = {
    switchToHttp: () => ({
      getResponse: () => response,
      getRequest: () => ({ path: '/v1/x', method: 'GET' }),
    }),
  };
  new HttpErrorFilter(new Metrics()).catch(exception, host as unknown as ArgumentsHost);
  return written;
}

describe('HttpErrorFilter', () => {
  it('answers a BulkopsError with its status, code, sentence and details', () => {
    expect(respond(new JobAlreadyActiveError('j-1'))).toMatchObject({
      status: 409,
      body: { statusCode: 409, error: 'Conflict', code: 'JOB_ALREADY_ACTIVE', activeJobId: 'j-1' },
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    expect(respond(new BulkopsError(ErrorCode.FileTooLarge, 'too big')).headers['connection']).toBe(
      'close',
    );
  });

  it('turns validation failures into INVALID_REQUEST sentences', () => {
    expect(
      respond(
        new BadRequestException([
          'limit must not be greater than 200',
          'status must be one of NEW',
        ]),
      ),
    ).toMatchObject({
      status: 400,
      body: {
        code: 'INVALID_REQUEST',
        message: 'limit must not be greater than 200. status must be one of NEW.',
      },
    });
  });

  it('hides the cause of an unexpected error behind an error id', () => {
    const { status, body } = respond(new Error('relation "job" does not exist at /srv/app/x.js:1'));
    expect(status).toBe(500);
    expect(body['code']).toBe('INTERNAL_ERROR');
    expect(JSON.stringify(body)).not.toMatch(/relation|\/srv|x\.js/);
    expect(body['message']).toContain(String(body['errorId']));
  });

  it("answers the body parsers' refusals with their 4xx status and the contract's body", () => {
    const tooLarge = Object.assign(new Error('request entity too large'), {
      status: 413,
      statusCode: 413,
      type: 'entity.too.large',
      limit: 102400,
      expose: true,
    });
    expect(respond(tooLarge)).toMatchObject({
      status: 413,
      body: {
        statusCode: 413,
        error: 'Payload Too Large',
        code: 'FILE_TOO_LARGE',
        message:
          'The request body is larger than 100 KB, the most a JSON request may send; files go to POST /v1/jobs as multipart/form-data.',
      },
      headers: { connection: 'close' },
    });
    const malformed = Object.assign(new SyntaxError('Unexpected token'), {
      status: 400,
      type: 'entity.parse.failed',
    });
    expect(respond(malformed)).toMatchObject({
      status: 400,
      body: { code: 'INVALID_REQUEST', message: 'The request body is not valid JSON.' },
    });
  });

  it('answers 422 for a reused Idempotency-Key', () => {
    expect(respond(new BulkopsError(ErrorCode.IdempotencyKeyReused, 'used before'))).toMatchObject({
      status: 422,
      body: { statusCode: 422, error: 'Unprocessable Entity', code: 'IDEMPOTENCY_KEY_REUSED' },
    });
  });

  it('cuts any message to 1000 characters, so an error answer stays small', () => {
    const { body } = respond(new BulkopsError(ErrorCode.InvalidRequest, 'x'.repeat(100_000)));
    expect(body['message']).toBe(`${'x'.repeat(999)}…`);
    expect(JSON.stringify(body).length).toBeLessThan(4096);
  });

  it('answers 503 SERVICE_UNAVAILABLE with Retry-After when Postgres or Redis cannot be reached', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
      code: 'ECONNREFUSED',
    });
    const shutdown = Object.assign(
      new Error('terminating connection due to administrator command'),
      {
        driverError: { code: '57P01' },
      },
    );
    const redisDown = Object.assign(
      new Error('Reached the max retries per request limit (which is 3).'),
      {
        name: 'MaxRetriesPerRequestError',
      },
    );
    for (const exception of [refused, shutdown, redisDown, new Error('Connection is closed.')]) {
      const { status, body, headers } = respond(exception);
      expect(status).toBe(503);
      expect(headers['retry-after']).toBe('5');
      expect(body).toMatchObject({ statusCode: 503, code: 'SERVICE_UNAVAILABLE' });
      expect(String(body['message'])).not.toMatch(/ECONNREFUSED|5432|administrator/);
    }
    expect(respond(new Error('boom')).status).toBe(500);
  });
});
