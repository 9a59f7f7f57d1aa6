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
 * Chunks never span files, so every chunk has one header and one set of present columns.
 */
export class ChunkStager {
  private rows: StagedRow[] = [];
  private keys: (string | null)[] = [];
  private fileOrdinal = 0;
  private nextSeq = 0;

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

  async add(row: StagedRow, keyNorm: string | null): Promise<void> {
    this.rows.push(storable(row));
    this.keys.push(keyNorm === null ? null : storableText(keyNorm));
    if (this.rows.length >= this.size) await this.flush();
  }

  /** Stages what is buffered (end of a file). */
  async flush(): Promise<void> {
    if (this.rows.length === 0) return;
    const rows = this.rows;
    const keys = this.keys;
    this.rows = [];
    this.keys = [];
    await this.chunks.stage(this.orgId, {
      jobId: this.jobId,
      seq: this.nextSeq,
      fileOrdinal: this.fileOrdinal,
      rows,
      keys,
    });
    this.nextSeq += 1;
  }
}
