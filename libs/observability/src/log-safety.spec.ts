import { BulkopsError, ErrorCode } from '@bulkops/contracts';
import { safeError } from './log-safety';

/** What TypeORM throws when a statement fails: the pg error inside, the statement and values around it. */
class QueryFailedError extends Error {
  constructor(
    readonly query: string,
    readonly parameters: unknown[],
    readonly driverError: Record<string, unknown>,
  ) {
    super(driverError['message'] as string);
  }
}

describe('safeError', () => {
  it('keeps what explains a database error and drops the statement, its values and the detail', () => {
    const error = new QueryFailedError(
      'INSERT INTO site (name) VALUES ($1)',
      ['Paris-Secret-Cell'],
      {
        message: 'invalid input syntax for type integer: "Paris-Secret-Cell"',
        code: '22P02',
        severity: 'ERROR',
        routine: 'pg_strtoint32_safe',
        detail: 'Key (name)=(Paris-Secret-Cell) already exists.',
        constraint: 'uq_site_org_name',
        table: 'site',
      },
    );
    const logged = safeError(error);
    expect(logged).toEqual({
      type: 'QueryFailedError',
      message: 'database error 22P02 on uq_site_org_name (table site)',
      stack: expect.stringMatching(/^QueryFailedError: database error 22P02[^\n]*\n\s+at /),
      code: '22P02',
      constraint: 'uq_site_org_name',
      table: 'site',
    });
    expect(JSON.stringify(logged)).not.toContain('Paris-Secret-Cell');
  });

  it('keeps the message and code of an application error but not the details attached to it', () => {
    const logged = safeError(
      new BulkopsError(ErrorCode.UploadMissing, 'The upload of job j-1 is gone', {
        file: 'token-bko_secret.csv',
      }),
    );
    expect(logged).toMatchObject({
      type: 'BulkopsError',
      message: 'The upload of job j-1 is gone',
      code: 'UPLOAD_MISSING',
    });
    expect(JSON.stringify(logged)).not.toContain('bko_secret');
  });

  it('describes a thrown non-error without its content', () => {
    expect(safeError('Secret-Cell')).toEqual({ type: 'string', message: 'non-error thrown' });
  });
});
