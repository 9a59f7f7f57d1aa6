import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';

/** A multipart/form-data body whose file part is streamed as it is produced. */
export interface StreamedForm {
  body: ReadableStream<Uint8Array>;
  contentType: string;
}

/**
 * A form of text fields followed by one file read from `file` while the request is sent (fetch's
 * FormData needs the whole file up front). The fields come first, so the gateway checks them
 * before it takes a byte of the file.
 */
export function streamedForm(
  fields: Readonly<Record<string, string>>,
  fileName: string,
  file: Readable,
): StreamedForm {
  const boundary = `bulkops-${randomBytes(12).toString('hex')}`;
  async function* parts(): AsyncGenerator<Buffer> {
    for (const [name, value] of Object.entries(fields)) {
      yield Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
      );
    }
    yield Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/zip\r\n\r\n`,
    );
    for await (const chunk of file) yield chunk as Buffer;
    yield Buffer.from(`\r\n--${boundary}--\r\n`);
  }
  return {
    body: Readable.toWeb(Readable.from(parts())) as ReadableStream<Uint8Array>,
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}
