import { readCsv } from '@bulkops/csv';
import type { StagedTarget } from '@bulkops/database';
import type { MediaDeclaration, MediaRow, UploadEntry } from '@bulkops/objects';
import type { StorageService } from '@bulkops/storage';
import type { IngestEnv } from '../ingest.env';
import type { ChunkStager } from './chunk-stager';
import { StorageBlobSink } from './storage-blob-sink';

/** The upload being read: where its blobs go and what it was called. */
interface MediaUpload {
  jobId: string;
  fileName: string;
}

/** Where a media row goes besides its chunk: a bundle orders it and records its target. */
export interface MediaPlacement {
  phase(row: MediaRow): number;
  target(row: MediaRow, line: number): StagedTarget | null;
}

const SINGLE_TYPE: MediaPlacement = { phase: () => 0, target: () => null };

/**
 * Reads a media upload (the entries of its zip, or of a bundle's media folder) through its type's
 * media format (objects.md §17) and stages every row it emits in chunks, as ingest does for CSV
 * rows. All entries are one job file (so one file ordinal, set by the caller); each row keeps its
 * own source (zip entry, manifest line), and its position orders the error report. Answers the
 * number of rows staged. The hook's thrown BulkopsErrors are the upload's failures.
 */
export async function stageMediaUpload(
  upload: MediaUpload,
  entries: readonly UploadEntry[],
  declaration: MediaDeclaration,
  storage: StorageService,
  stager: ChunkStager,
  env: IngestEnv,
  heartbeat: () => Promise<void>,
  placement: MediaPlacement = SINGLE_TYPE,
): Promise<number> {
  let rows = 0;
  await declaration.media.read(
    declaration,
    {
      fileName: upload.fileName,
      entries,
      readCsv: (entry) =>
        readCsv(entry.open(), { fileName: entry.name, maxBytes: env.ingestMaxFileBytes }),
      blobs: new StorageBlobSink(storage, upload.jobId),
      maxRows: env.ingestMaxRowsPerFile,
      maxFileBytes: env.ingestMaxFileBytes,
      heartbeat,
    },
    async (row) => {
      rows += 1;
      await stager.add(
        {
          line: rows,
          cells: row.cells,
          source: row.source,
          ...(row.content ? { content: row.content } : {}),
          ...(row.problems.length > 0 ? { problems: row.problems } : {}),
        },
        row.keyNorm,
        placement.phase(row),
        placement.target(row, rows),
      );
    },
  );
  await stager.flush();
  await stager.settled();
  return rows;
}
