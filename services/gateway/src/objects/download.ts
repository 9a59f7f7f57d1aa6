import type { Writable } from 'node:stream';
import type { Response } from 'express';

/** A file ready to be streamed to a client: what it is called, what it holds, and its bytes. */
export interface Download {
  fileName: string;
  contentType: string;
  /** Streams the bytes into `output` and frees what the download holds, whether or not it finished. */
  writeTo(output: Writable): Promise<void>;
}

/**
 * Sends a download as an attachment. A client that goes away mid-download is not an error of
 * ours: the pipeline has already stopped the source, so the request simply ends.
 */
export async function sendDownload(download: Download, response: Response): Promise<void> {
  response.setHeader('Content-Type', download.contentType);
  response.setHeader('Content-Disposition', `attachment; filename="${download.fileName}"`);
  response.setHeader('Cache-Control', 'no-store');
  try {
    await download.writeTo(response);
  } catch (error) {
    if (clientWentAway(response, error)) return;
    throw error;
  }
}

// What a pipeline into a response fails with when the client closed the connection first.
const CLIENT_GONE = new Set([
  'ERR_STREAM_PREMATURE_CLOSE',
  'ERR_STREAM_DESTROYED',
  'EPIPE',
  'ECONNRESET',
]);

function clientWentAway(response: Response, error: unknown): boolean {
  return (
    response.destroyed &&
    !response.writableFinished &&
    CLIENT_GONE.has((error as NodeJS.ErrnoException).code ?? '')
  );
}
