import type { JobMode, JobStatus } from './job-status';

/**
 * Rows by outcome: what one chunk did (its ledger row), what a job did (the ledger's sum), and the
 * outcome part of a job's counts. Declared once so the stages cannot disagree on the outcomes.
 */
export interface RowCounts {
  created: number;
  updated: number;
  deleted: number;
  unchanged: number;
  failed: number;
}

/** Counts of a job, always derived from the chunk ledger. */
export interface JobCounts extends RowCounts {
  total: number;
  processed: number;
  succeeded: number;
}

/** Why a job as a whole could not run. */
export interface JobFailure {
  code: string;
  message: string;
  file: string | null;
}

/** One object type of a bundle job: its files and what the ledger says its rows did. */
export interface JobSection {
  object: string;
  files: { name: string; rows: number }[];
  counts: JobCounts;
}

/** The job as `GET /v1/jobs/{id}` answers it (spec/api.md). */
export interface JobView {
  id: string;
  object: string;
  mode: JobMode;
  /** For an undo job (`mode: "undo"`), the job whose changes it takes back; null otherwise. */
  undoOf: string | null;
  fileName: string;
  fileSize: number;
  status: JobStatus;
  statusLabel: string;
  submittedBy: { name: string; email: string };
  submittedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  counts: JobCounts;
  progress: number;
  files: { name: string; rows: number }[];
  failure: JobFailure | null;
  errorSummary: { message: string; count: number }[];
  /** A bundle job's types in the order they are applied (spec/api.md "Bundles"); absent otherwise. */
  sections?: JobSection[];
  /** A bundle job's type being applied now, null when none is (yet, or any more); absent otherwise. */
  applying?: string | null;
}

/** A column as `GET /v1/objects` describes it. */
export interface ColumnView {
  name: string;
  required: boolean;
  requiredWhen?: string;
  /** The cell must be empty unless this holds. */
  onlyWhen?: string;
  description: string;
  type: string;
  maxLength?: number;
  values?: string[];
  references?: string;
  format?: string;
  default?: string;
  immutable?: boolean;
  aliases?: string[];
}

/** What `GET /v1/objects` says of every object type. */
interface ObjectTypeViewBase {
  type: string;
  label: string;
  key: string[];
  columns: ColumnView[];
  dependsOn: string[];
}

/** A type uploaded as CSV files, alone or zipped. */
export interface CsvTypeView extends ObjectTypeViewBase {
  file: 'csv';
}

/** How the zip of a media type is laid out (objects.md §17), so clients can build one. */
export interface MediaView {
  /** The optional manifest CSV at the top level of the zip (`audio-files.csv`). */
  manifest: string;
  /** The extension of the media files (`.wav`): each top-level such entry is one object. */
  extension: string;
  /** The column a media file's name fills, in the manifest too (`Name`). */
  nameColumn: string;
}

/** A type uploaded as a zip of media files with an optional manifest. */
export interface MediaTypeView extends ObjectTypeViewBase {
  file: 'zip';
  media: MediaView;
}

/** An object type as `GET /v1/objects` describes it; `file` tells the two kinds apart. */
export type ObjectTypeView = CsvTypeView | MediaTypeView;

/**
 * One record as `GET /v1/objects/{type}/records` answers it: each column's canonical text (what an
 * export writes in that column), keyed by the column's canonical name; null for an empty field.
 */
export type RecordView = Record<string, string | null>;

/** What a job did, or for a validate job would do, to one object. */
export type ChangeActionView = 'CREATE' | 'UPDATE' | 'DELETE';

/** One column of a change: its canonical text before and after (null: empty). */
export interface ChangedColumnView {
  column: string;
  oldValue: string | null;
  newValue: string | null;
}

/**
 * One object a job changed, as `GET /v1/jobs/{id}/changes` answers it in JSON: for an update the
 * columns whose canonical text changed, for a create or a delete every column that has a value.
 */
export interface ChangeView {
  /** The object type, e.g. `team`. */
  object: string;
  /** The object's key as an export writes it (`Austin/Sales`, an email). */
  key: string;
  action: ChangeActionView;
  columns: ChangedColumnView[];
  /** The uploaded file and its line that made the change. */
  sourceFile: string;
  sourceRow: number;
}

/** One page of a list. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Events a webhook can subscribe to (spec/api.md "Webhooks"). */
export const WEBHOOK_EVENTS = ['job.finished'] as const;

/** One event a webhook can subscribe to. */
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** A webhook as `GET /v1/webhooks` lists it; its signing secret is never shown again. */
export interface WebhookView {
  id: string;
  url: string;
  events: WebhookEvent[];
  createdAt: string;
}

/** The answer to `POST /v1/webhooks`: the webhook and, this once, its signing secret. */
export interface CreatedWebhookView extends WebhookView {
  secret: string;
}

/** Where a delivery stands: still being tried, received (a 2xx), or given up after a day. */
export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

/** One entry of a webhook's delivery log (`GET /v1/webhooks/{id}/deliveries`). */
export interface WebhookDeliveryView {
  id: string;
  event: WebhookEvent;
  jobId: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  /** The HTTP status of the last answer, null when the last attempt got none. */
  lastStatusCode: number | null;
  /** Why the last attempt failed, null after a success or before the first attempt. */
  lastError: string | null;
  createdAt: string;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
}

/** The JSON body of a delivery, signed in `X-Bulkops-Signature`. */
export interface WebhookPayload {
  event: WebhookEvent;
  job: JobView;
}
