import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

/** Passes bytes through, counting them and keeping their sha256: an upload hashed as it streams. */
export class Sha256Tap extends Transform {
  private readonly hash = createHash('sha256');
  private count = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.count += chunk.length;
    callback(null, chunk);
  }

  /** Bytes seen so far. */
  get bytes(): number {
    return this.count;
  }

  /** The hex digest of the bytes seen so far; read it once the stream has ended. */
  hex(): string {
    return this.hash.copy().digest('hex');
  }
}
