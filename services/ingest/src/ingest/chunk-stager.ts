import { type ChunkRepository, type StagedRow } from '@bulkops/database';
import { storableText, UNSTORABLE_CHARACTER } from '@bulkops/objects';

/**
 * A row as Postgres can keep it: a cell holding NUL or half a surrogate pair is already a row
 * problem (checkRow), and the error report shows U+FFFD where the character was.
 */
function storable(row: StagedRow): StagedRow {
  if (!row.cells.some((cell) => cell !== null && UNSTORABLE_CHARACTER.test(cell))) return row;
  return { ...row, cells: row.cells.map((cell) => (cell === null ? null : storableText(cell))) };
}

/**
 * Collects checked rows of one file and stages them as chunks of `size` rows, one INSERT each.
 * Chunks never span files, so every chunk has one header and one set of present columns. One
 * chunk's INSERT runs while the next chunk's rows are read (at most one in flight, so memory stays
 * at two chunks); `settled` waits for the last one and reports a failed INSERT.
 */
export class ChunkStager {
  private rows: StagedRow[] = [];
  private keys: (string | null)[] = [];
  private fileOrdinal = 0;
  private nextSeq = 0;
  private inFlight: Promise<void> = Promise.resolve();

  constructor(
    private readonly chunks: ChunkRepository,
    private readonly jobId: string,
    private readonly orgId: string,
    private readonly size: number,
  ) {}

  get chunkCount(): number {
    return this.nextSeq;
  }

  startFile(ordinal: number): void {
    this.fileOrdinal = ordinal;
  }

  /** Buffers a row; answers a promise only when a full chunk had to wait for the one before it. */
  add(row: StagedRow, keyNorm: string | null): Promise<void> | null {
    this.rows.push(storable(row));
    this.keys.push(keyNorm === null ? null : storableText(keyNorm));
    return this.rows.length >= this.size ? this.flush() : null;
  }

  /** Starts staging what is buffered (end of a file), once the chunk before it is stored. */
  async flush(): Promise<void> {
    if (this.rows.length === 0) return;
    const chunk = {
      jobId: this.jobId,
      seq: this.nextSeq,
      fileOrdinal: this.fileOrdinal,
      rows: this.rows,
      keys: this.keys,
    };
    this.rows = [];
    this.keys = [];
    this.nextSeq += 1;
    await this.inFlight;
    this.inFlight = this.chunks.stage(this.orgId, chunk);
    // Reported by the next flush or by settled; never an unhandled rejection meanwhile.
    this.inFlight.catch(() => undefined);
  }

  /** Every chunk is stored (or the first failure is thrown). */
  async settled(): Promise<void> {
    await this.inFlight;
  }
}
