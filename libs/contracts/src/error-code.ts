/**
 * Every stable error code bulkops answers with. HTTP errors, job failures and row errors share one
 * catalogue so a client can switch on `code` wherever it appears.
 */
export enum ErrorCode {
  // HTTP
  InvalidRequest = 'INVALID_REQUEST',
  Unauthorized = 'UNAUTHORIZED',
  Forbidden = 'FORBIDDEN',
  NotFound = 'NOT_FOUND',
  UnknownObjectType = 'UNKNOWN_OBJECT_TYPE',
  JobAlreadyActive = 'JOB_ALREADY_ACTIVE',
  JobNotActive = 'JOB_NOT_ACTIVE',
  FileTooLarge = 'FILE_TOO_LARGE',
  IdempotencyKeyReused = 'IDEMPOTENCY_KEY_REUSED',
  ServiceUnavailable = 'SERVICE_UNAVAILABLE',
  InternalError = 'INTERNAL_ERROR',
  InvalidConfiguration = 'INVALID_CONFIGURATION',
  WebhookTargetNotAllowed = 'WEBHOOK_TARGET_NOT_ALLOWED',
  /** An undo asked for a job that is not the organization's most recent finished apply job. */
  UndoNotLatest = 'UNDO_NOT_LATEST',
  /** An undo asked for a job that is still running. */
  JobNotFinished = 'JOB_NOT_FINISHED',
  /** An undo asked for a job that changed nothing it could restore (validate, failed, purged, media). */
  JobNotUndoable = 'JOB_NOT_UNDOABLE',
  /** `POST /v1/jobs/{id}/apply` on a job that is not a finished validate job with its upload kept. */
  NotAPreview = 'NOT_A_PREVIEW',
  /** `POST /v1/jobs/{id}/apply` after another job of the organization changed objects since the preview. */
  PreviewStale = 'PREVIEW_STALE',

  // Job failures: the upload as a whole cannot be applied; nothing is.
  TooManyRows = 'TOO_MANY_ROWS',
  EmptyFile = 'EMPTY_FILE',
  InvalidEncoding = 'INVALID_ENCODING',
  MalformedCsv = 'MALFORMED_CSV',
  CellTooLong = 'CELL_TOO_LONG',
  LineTooLong = 'LINE_TOO_LONG',
  MissingColumn = 'MISSING_COLUMN',
  UnknownColumn = 'UNKNOWN_COLUMN',
  DuplicateColumn = 'DUPLICATE_COLUMN',
  InvalidZip = 'INVALID_ZIP',
  UnexpectedZipEntry = 'UNEXPECTED_ZIP_ENTRY',
  TooManyFiles = 'TOO_MANY_FILES',
  JobStalled = 'JOB_STALLED',
  UploadMissing = 'UPLOAD_MISSING',

  // Row errors: one row is rejected, the others go on.
  RequiredValue = 'REQUIRED_VALUE',
  InvalidValue = 'INVALID_VALUE',
  InvalidList = 'INVALID_LIST',
  NotApplicable = 'NOT_APPLICABLE',
  ImmutableField = 'IMMUTABLE_FIELD',
  InvalidAction = 'INVALID_ACTION',
  DuplicateKey = 'DUPLICATE_KEY',
  ReferenceNotFound = 'REFERENCE_NOT_FOUND',
  AmbiguousReference = 'AMBIGUOUS_REFERENCE',
  /** The referenced object was to be created by a row of the same bundle, which was rejected. */
  ReferenceBlocked = 'REFERENCE_BLOCKED',
  InvalidReference = 'INVALID_REFERENCE',
  InUse = 'IN_USE',
  RowMalformed = 'ROW_MALFORMED',
  ConflictingState = 'CONFLICTING_STATE',
  /** The object is not in the state the row expects (an undo leaves what changed since alone). */
  ChangedSince = 'CHANGED_SINCE',
  /** The row was never applied (the job was cancelled, or its chunk could not be applied). */
  NotApplied = 'NOT_APPLIED',
}

/** Codes that fail a whole job during ingest: the upload cannot be applied, so nothing is. */
export const UPLOAD_FAILURE_CODES: ReadonlySet<ErrorCode> = new Set([
  ErrorCode.FileTooLarge,
  ErrorCode.TooManyRows,
  ErrorCode.EmptyFile,
  ErrorCode.InvalidEncoding,
  ErrorCode.MalformedCsv,
  ErrorCode.CellTooLong,
  ErrorCode.LineTooLong,
  ErrorCode.MissingColumn,
  ErrorCode.UnknownColumn,
  ErrorCode.DuplicateColumn,
  ErrorCode.InvalidZip,
  ErrorCode.UnexpectedZipEntry,
  ErrorCode.TooManyFiles,
  ErrorCode.UploadMissing,
]);
