import { type ChunkRepository, type StagedRow } from '@bulkops/database';

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
    this.rows.push(row);
    this.keys.push(keyNorm);
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
