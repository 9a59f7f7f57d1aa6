import { readCsv } from '@bulkops/csv';
import type { MediaDeclaration } from '@bulkops/objects';
import type { StorageService } from '@bulkops/storage';
import type { IngestEnv } from '../ingest.env';
import type { ChunkStager } from './chunk-stager';
import { StorageBlobSink } from './storage-blob-sink';
import { mediaEntriesOf } from './upload-files';

/** The upload being read: where it is stored and what it was called. */
interface MediaUpload {
  jobId: string;
  uploadKey: string;
  fileName: string;
}

/**
 * Reads a media upload through its type's media format (objects.md §17) and stages every row it emits in
 * chunks, as ingest does for CSV rows. The whole zip is one job file (so one file ordinal); each
 * row keeps its own source (zip entry, manifest line), and its position orders the error report.
 * Answers the number of rows staged. The hook's thrown BulkopsErrors are the upload's failures.
 */
export async function stageMediaUpload(
  upload: MediaUpload,
  declaration: MediaDeclaration,
  storage: StorageService,
  stager: ChunkStager,
  env: IngestEnv,
  heartbeat: () => Promise<void>,
): Promise<number> {
  const entries = await mediaEntriesOf(storage, upload.uploadKey, upload.fileName, env);
  stager.startFile(0);
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
      );
    },
  );
  await stager.flush();
  await stager.settled();
  return rows;
}
