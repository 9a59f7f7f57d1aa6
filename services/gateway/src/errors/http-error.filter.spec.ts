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
});
