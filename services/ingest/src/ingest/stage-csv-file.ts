import { readCsvBatches } from '@bulkops/csv';
import type { StagedTarget } from '@bulkops/database';
import {
  ACTION_COLUMN,
  hasUnstorableCell,
  readObjectCsvBatches,
  type CsvDeclaration,
  type HeaderMatch,
  type ObjectCsvRow,
} from '@bulkops/objects';
import type { IngestEnv } from '../ingest.env';
import type { ChunkStager } from './chunk-stager';
import type { UploadFile } from './upload-files';

/** Where a file's rows go besides their chunk: a bundle orders them and records its targets. */
export interface RowPlacement {
  phase(row: ObjectCsvRow): number;
  target(row: ObjectCsvRow): StagedTarget | null;
}

/** A single-type upload: every row in phase 0, no targets. */
export const SINGLE_TYPE: RowPlacement = { phase: () => 0, target: () => null };

/**
 * Reads one CSV file of a type and stages its rows, with their keys, as chunks. Answers the
 * number of data rows and the canonical columns the file has, in declaration order. The file's
 * problems as a whole (header, encoding, row limit) are thrown and fail the upload.
 */
export async function stageCsvFile(
  file: UploadFile,
  declaration: CsvDeclaration,
  stager: ChunkStager,
  env: IngestEnv,
  heartbeat: () => Promise<void>,
  placement: RowPlacement = SINGLE_TYPE,
): Promise<{ rows: number; columns: string[] }> {
  const present = new Set<string>();
  const notePresent = (header: HeaderMatch) => {
    declaration.columns.forEach((c) => header.present[c.index] && present.add(c.name));
    if (header.hasAction) present.add(ACTION_COLUMN);
  };
  const records = readCsvBatches(file.open(), {
    fileName: file.name,
    maxBytes: env.ingestMaxFileBytes,
  });
  const limits = {
    name: file.name,
    maxRows: env.ingestMaxRowsPerFile,
    splitAdvice: 'split it (a zip may hold several files)',
  };
  let rows = 0;
  for await (const batch of readObjectCsvBatches(declaration, records, limits, notePresent)) {
    for (const row of batch) {
      rows += 1;
      // A row is staged with its problems only when the worker could not find them in the staged
      // cells: cells beyond the header are not staged, and characters Postgres cannot store are
      // staged as U+FFFD. Every other row's own rules are checked by the worker, which checks each
      // row it applies anyway, so reading the file here needs only the keys.
      const judgedHere = row.extraProblems.length > 0 || hasUnstorableCell(row.cells);
      const staged = judgedHere
        ? { line: row.line, cells: row.cells, problems: row.problems }
        : { line: row.line, cells: row.cells };
      const waiting = stager.add(staged, row.keyNorm, placement.phase(row), placement.target(row));
      if (waiting) await waiting;
    }
    await heartbeat();
  }
  await stager.flush();
  return { rows, columns: declaration.header.filter((name) => present.has(name)) };
}
