import { PassThrough, type Readable } from 'node:stream';
import type { Request } from 'express';
import busboy from 'busboy';
import { BulkopsError, ErrorCode } from '@bulkops/contracts';

/** The text fields of a multipart request, as far as they have arrived. */
export type FormFields = Readonly<Record<string, string>>;

/** The `file` part as it begins: its name, its bytes, and the fields sent before it. */
export interface FilePart {
  fileName: string;
  stream: Readable;
  fieldsSoFar: FormFields;
}

/**
 * Consumes the `file` part and answers what it made of it. It must settle once its stream ends or
 * fails, and leave nothing behind when it fails.
 */
export type FileHandler<T> = (part: FilePart) => Promise<T>;

/** Undoes what a handled file left (stored bytes, a lock) when the request fails after it. */
export type FileDiscard<T> = (file: T) => Promise<void>;

const USAGE =
  'POST /v1/jobs takes multipart/form-data with the fields object, file and optionally mode';

function invalid(message: string): BulkopsError {
  return new BulkopsError(ErrorCode.InvalidRequest, message);
}

/** How long a refused upload's remaining body is read and dropped before the refusal is sent. */
const DRAIN_BEFORE_ANSWER_MS = 2_000;

/**
 * Resolves once the client has sent the rest of its body (it is being read and dropped), or after
 * a short while. A refusal sent while the client is still writing makes Node close the connection
 * under it, and many clients (fetch among them) then report a broken pipe instead of the answer.
 */
function drained(request: Request): Promise<void> {
  if (request.complete || request.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      request.off('end', done);
      request.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, DRAIN_BEFORE_ANSWER_MS);
    request.on('end', done);
    request.on('close', done);
  });
}

/**
 * Streams a multipart request: text fields are collected, the one `file` part goes to `onFile`
 * without being held in memory. Resolves when the whole request has been read. On the first
 * problem (a second file, a malformed body, a client that went away, the handler's own failure) it
 * stops reading, fails the file's stream so the handler's work stops and cleans up, waits for the
 * handler to settle, discards what it produced, and only then rejects: whoever waits on the
 * promise owns nothing of a failed request.
 */
export function readMultipart<T>(
  request: Request,
  onFile: FileHandler<T>,
  discard: FileDiscard<T>,
): Promise<{ fields: FormFields; file: T | null }> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: request.headers,
        // RFC 7578 names are UTF-8; without this busboy reads `filename="日本語.csv"` as Latin-1.
        defParamCharset: 'utf8',
        limits: { files: 1, fields: 10, fieldSize: 1024, parts: 12, headerPairs: 20 },
      });
    } catch {
      reject(invalid(`${USAGE}; the request is not multipart/form-data`));
      return;
    }
    const fields: Record<string, string> = {};
    let part: { source: Readable; relay: PassThrough } | null = null;
    let handled: Promise<T> | null = null;
    let failure: Error | null = null;
    let finished = false;

    const fail = (error: unknown) => {
      if (failure || finished) return;
      failure = error instanceof Error ? error : new Error(String(error));
      request.unpipe(parser);
      request.resume();
      // Without an error: whoever reads the relay sees it end early (and cleans up); the reason
      // is ours to report, not an 'error' event that nobody may be listening to.
      if (part) {
        part.source.unpipe(part.relay);
        part.source.resume();
        part.relay.destroy();
      }
      const rejectWith = () => void drained(request).then(() => reject(failure!));
      if (!handled) {
        rejectWith();
        return;
      }
      handled.then((file) => discard(file).then(rejectWith, rejectWith), rejectWith);
    };

    parser.on('field', (name, value) => {
      fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      if (name !== 'file') {
        stream.resume();
        fail(invalid(`${USAGE}; unexpected file field '${name.slice(0, 40)}'`));
        return;
      }
      // The handler reads a relay of ours: busboy's own file stream, once destroyed, never lets a
      // pipeline that starts reading it later settle, and the handler may start after a failure.
      const relay = new PassThrough();
      stream.on('error', (error: Error) => relay.destroy(error));
      stream.pipe(relay);
      part = { source: stream, relay };
      handled = onFile({
        fileName: info.filename ?? '',
        stream: relay,
        fieldsSoFar: { ...fields },
      });
      handled.catch(fail);
    });
    parser.on('filesLimit', () => fail(invalid(`${USAGE}; send exactly one file`)));
    parser.on('fieldsLimit', () => fail(invalid(`${USAGE}; too many fields`)));
    parser.on('partsLimit', () => fail(invalid(`${USAGE}; too many parts`)));
    parser.on('error', () => fail(invalid(`${USAGE}; the multipart body is malformed`)));
    parser.on('close', () => {
      if (failure) return;
      if (!handled) {
        finished = true;
        resolve({ fields, file: null });
        return;
      }
      handled.then((file) => {
        if (failure) return;
        finished = true;
        resolve({ fields, file });
      }, fail);
    });
    // A client that closes its connection mid-body leaves busboy waiting for the rest forever.
    const interrupted = () => {
      if (!request.complete) fail(invalid('The upload was interrupted before it finished'));
    };
    request.on('aborted', interrupted);
    request.on('close', interrupted);
    request.pipe(parser);
  });
}
