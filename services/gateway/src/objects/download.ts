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
 * The Content-Disposition of an attachment (RFC 6266): an ASCII `filename` for old clients and the
 * exact name as UTF-8 in `filename*`, since upload names (and so error report names) may be
 * anything and Node refuses a header with characters beyond Latin-1.
 */
export function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const utf8 = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return ascii === fileName
    ? `attachment; filename="${fileName}"`
    : `attachment; filename="${ascii}"; filename*=UTF-8''${utf8}`;
}

/**
 * Sends a download as an attachment. A client that goes away mid-download is not an error of
 * ours: the pipeline has already stopped the source, so the request simply ends.
 */
export async function sendDownload(download: Download, response: Response): Promise<void> {
  response.setHeader('Content-Type', download.contentType);
  response.setHeader('Content-Disposition', attachment(download.fileName));
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
