import { SseParser, type JobView } from '@bulkops/contracts';
import { ApiError, type ApiClient } from './api-client';

/** Reconnections in a row without an event before following gives up. */
const MAX_FAILURES = 8;
const RETRY_MAX_MS = 15_000;

/**
 * Follows a job through `GET /v1/jobs/{id}/events` (fetch with the Authorization header; the token
 * never goes into a URL) until its `final` event, calling `progress` for each `progress` event, and
 * answers the final job. A dropped connection, or a gateway restart, is resumed with
 * `Last-Event-ID`, so nothing is missed; a refusal (403, 404) ends the follow at once.
 */
export async function followJobEvents(
  client: ApiClient,
  jobId: string,
  progress: (job: JobView) => void,
): Promise<JobView> {
  let lastEventId: string | null = null;
  let failures = 0;
  let cause = 'the stream ended before the job did';
  for (;;) {
    try {
      const response = await client.request('GET', `/v1/jobs/${jobId}/events`, undefined, {
        accept: 'text/event-stream',
        ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
      });
      const parser = new SseParser();
      const decoder = new TextDecoder();
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        for (const event of parser.push(decoder.decode(chunk, { stream: true }))) {
          failures = 0;
          if (event.id !== null) lastEventId = event.id;
          const job = JSON.parse(event.data) as JobView;
          if (event.event === 'final') return job;
          if (event.event === 'progress') progress(job);
        }
      }
    } catch (error) {
      if (error instanceof ApiError && error.status !== 503) throw error;
      cause = (error as Error).message;
    }
    failures += 1;
    if (failures > MAX_FAILURES) {
      throw new Error(
        `lost the events of job ${jobId} (${cause}); see it with: bulkops job ${jobId}`,
      );
    }
    await new Promise((resolve) =>
      setTimeout(resolve, Math.min(RETRY_MAX_MS, 250 * 2 ** failures)),
    );
  }
}
