import { IsInt, Max, Min } from 'class-validator';

/** Limits and pacing of ingest (objects.md §1.1 gives the per-file limits). */
export class IngestEnv {
  /**
   * Rows per chunk: one Postgres write and one worker transaction each. Chunks never span files, so
   * the default makes a full 5000-row file one chunk; larger chunks measured fastest (bench/), and
   * smaller ones give finer progress and more parallelism within a small job.
   */
  @IsInt()
  @Min(1)
  @Max(5000)
  ingestChunkSize: number = 5000;

  @IsInt()
  @Min(1)
  ingestMaxRowsPerFile: number = 5000;

  @IsInt()
  @Min(1)
  ingestMaxFileBytes: number = 10 * 1024 * 1024;

  /** Files a zip may hold; a zip bomb of tiny entries stops here. */
  @IsInt()
  @Min(1)
  ingestMaxZipEntries: number = 1000;

  /** Uploads read at once per process (reading is CPU-bound). */
  @IsInt()
  @Min(1)
  @Max(16)
  ingestConcurrency: number = 1;
}
