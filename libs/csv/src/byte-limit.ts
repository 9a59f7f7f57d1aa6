import { Transform } from 'node:stream';
import { BulkopsError, ErrorCode, formatBytes } from '@bulkops/contracts';

/**
 * Passes bytes through and fails with FILE_TOO_LARGE as soon as more than `maxBytes` went by — a
 * zip entry's declared size can lie, the byte count cannot.
 */
export function byteLimit(maxBytes: number, fileName: string): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > maxBytes) {
        callback(
          new BulkopsError(
            ErrorCode.FileTooLarge,
            `${fileName} is larger than ${formatBytes(maxBytes)}; split it into smaller files (a zip may hold several)`,
            { file: fileName, limit: maxBytes },
          ),
        );
        return;
      }
      callback(null, chunk);
    },
  });
}
