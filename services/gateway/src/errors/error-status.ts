import { HttpStatus } from '@nestjs/common';
import { ErrorCode } from '@bulkops/contracts';

/** The HTTP status of each error code the gateway answers with. Codes not listed are 500. */
export const ERROR_STATUS: Partial<Record<ErrorCode, HttpStatus>> = {
  [ErrorCode.InvalidRequest]: HttpStatus.BAD_REQUEST,
  [ErrorCode.Unauthorized]: HttpStatus.UNAUTHORIZED,
  [ErrorCode.Forbidden]: HttpStatus.FORBIDDEN,
  [ErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [ErrorCode.UnknownObjectType]: HttpStatus.NOT_FOUND,
  [ErrorCode.JobAlreadyActive]: HttpStatus.CONFLICT,
  [ErrorCode.JobNotActive]: HttpStatus.CONFLICT,
  [ErrorCode.UndoNotLatest]: HttpStatus.CONFLICT,
  [ErrorCode.JobNotFinished]: HttpStatus.CONFLICT,
  [ErrorCode.JobNotUndoable]: HttpStatus.CONFLICT,
  [ErrorCode.NotAPreview]: HttpStatus.CONFLICT,
  [ErrorCode.PreviewStale]: HttpStatus.CONFLICT,
  [ErrorCode.FileTooLarge]: HttpStatus.PAYLOAD_TOO_LARGE,
  [ErrorCode.IdempotencyKeyReused]: HttpStatus.UNPROCESSABLE_ENTITY,
  [ErrorCode.WebhookTargetNotAllowed]: HttpStatus.BAD_REQUEST,
  [ErrorCode.ServiceUnavailable]: HttpStatus.SERVICE_UNAVAILABLE,
  [ErrorCode.TooManyFiles]: HttpStatus.UNPROCESSABLE_ENTITY,
};

/** The standard reason phrase of a status, for the `error` field. */
export function reasonPhrase(status: number): string {
  const phrases: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    405: 'Method Not Allowed',
    409: 'Conflict',
    413: 'Payload Too Large',
    415: 'Unsupported Media Type',
    422: 'Unprocessable Entity',
    500: 'Internal Server Error',
    501: 'Not Implemented',
    503: 'Service Unavailable',
  };
  return phrases[status] ?? 'Error';
}
