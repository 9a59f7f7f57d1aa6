import type { Readable } from 'node:stream';
import type { Request } from 'express';
import busboy from 'busboy';
import { BulkopsError, ErrorCode } from '@bulkops/contracts';

/** The text fields of a multipart request, as far as they have arrived. */
export type FormFields = Readonly<Record<string, string>>;

/** Called when the `file` part begins; stores it and answers what was stored. */
export type FileHandler<T> = (
  fileName: string,
  stream: Readable,
  fieldsSoFar: FormFields,
) => Promise<T>;

const USAGE =
  'POST /v1/jobs takes multipart/form-data with the fields object, file and optionally mode';

function invalid(message: string): BulkopsError {
  return new BulkopsError(ErrorCode.InvalidRequest, message);
}

/**
 * Streams a multipart request: text fields are collected, the one `file` part goes to `onFile`
 * without being held in memory. Resolves when the whole request has been read; rejects with the
 * first problem (and stops reading).
 */
export function readMultipart<T>(
  request: Request,
  onFile: FileHandler<T>,
): Promise<{ fields: FormFields; file: T | null }> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: request.headers,
        limits: { files: 1, fields: 10, fieldSize: 1024, parts: 12 },
      });
    } catch {
      reject(invalid(`${USAGE}; the request is not multipart/form-data`));
      return;
    }
    const fields: Record<string, string> = {};
    let stored: Promise<T> | null = null;
    let failed = false;
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      request.unpipe(parser);
      request.resume();
      reject(error instanceof Error ? error : new Error(String(error)));
    };
    parser.on('field', (name, value) => {
      fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      if (name !== 'file') {
        stream.resume();
        fail(invalid(`${USAGE}; unexpected file field '${name}'`));
        return;
      }
      stored = onFile(info.filename ?? '', stream, { ...fields });
      stored.catch((error: unknown) => {
        stream.resume();
        fail(error);
      });
    });
    parser.on('filesLimit', () => fail(invalid(`${USAGE}; send exactly one file`)));
    parser.on('fieldsLimit', () => fail(invalid(`${USAGE}; too many fields`)));
    parser.on('partsLimit', () => fail(invalid(`${USAGE}; too many parts`)));
    parser.on('error', () => fail(invalid(`${USAGE}; the multipart body is malformed`)));
    parser.on('close', () => {
      if (failed) return;
      if (!stored) {
        resolve({ fields, file: null });
        return;
      }
      stored.then((file) => resolve({ fields, file }), fail);
    });
    request.on('aborted', () => fail(invalid('The upload was interrupted before it finished')));
    request.pipe(parser);
  });
}
