import { BulkopsError, ErrorCode } from '@bulkops/contracts';

/** The `Last-Event-ID` a reconnecting client sends: an event id of ours, or null when absent. */
export function parseLastEventId(header: string | undefined): number | null {
  const value = header?.trim();
  if (!value) return null;
  if (!/^\d{1,15}$/.test(value)) {
    throw new BulkopsError(
      ErrorCode.InvalidRequest,
      `Last-Event-ID '${value.slice(0, 40)}' is not an id of this stream; send the id of the last event received, or no header to start afresh`,
    );
  }
  return Number(value);
}
