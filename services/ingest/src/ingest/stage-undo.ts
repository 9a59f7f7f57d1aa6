import type { ChangeToUndo, JobFileEntity, StagedRow } from '@bulkops/database';
import { checkRow, type ObjectDeclaration } from '@bulkops/objects';
import type { ChunkStager } from './chunk-stager';

/** What staging an undo produced: the shape ingest records when an upload passed. */
export interface StagedUndo {
  files: { name: string; rows: number }[];
  columns: string[];
  totalRows: number;
  chunkCount: number;
}

/** The part of the undo a change belongs to; chunks never mix parts, so each is one kind of work. */
function partOf(change: ChangeToUndo): 'restore' | 'remove' {
  return change.action === 'create' ? 'remove' : 'restore';
}

/**
 * The row that takes one change back, as an upload would state it (canonical cells, empty cells
 * clearing fields), and the state its object must be in for the row to apply: a created object is
 * deleted if it still holds what the job wrote; an updated one gets its old values back if it still
 * holds what the job wrote; a deleted one is created again with its old values if nothing took its
 * key meanwhile.
 */
export function undoRowOf(
  declaration: ObjectDeclaration,
  change: ChangeToUndo,
  undoOf: string,
): StagedRow {
  const cellsOf = (values: (string | null)[] | null) =>
    declaration.columns.map((c) => values?.[c.index] ?? '');
  const expected = { since: undoOf, values: change.action === 'delete' ? null : change.after };
  const cells =
    change.action === 'create'
      ? [...cellsOf(change.after), 'DELETE']
      : [...cellsOf(change.before), ''];
  return { line: change.sourceRow, cells, expected };
}

/**
 * Stages an undo's rows from the original job's change records (in undo order, see
 * JobChangeRepository.streamToUndo) as chunks: one per part and file of the original, cut at the chunk size.
 * The rows keep the original's file and row numbers, so the undo's error file points at the rows of
 * the job it took back; its header is the object's every column and Action.
 */
export async function stageUndo(
  declaration: ObjectDeclaration,
  undoOf: string,
  originalFiles: readonly JobFileEntity[],
  changes: AsyncIterable<ChangeToUndo>,
  stager: ChunkStager,
): Promise<StagedUndo> {
  const rowsPerFile = originalFiles.map(() => 0);
  let current: string | null = null;
  let totalRows = 0;
  for await (const change of changes) {
    const group = `${partOf(change)}:${change.fileOrdinal}`;
    if (group !== current) {
      await stager.flush();
      stager.startFile(change.fileOrdinal);
      current = group;
    }
    const row = undoRowOf(declaration, change, undoOf);
    const waiting = stager.add(row, checkRow(declaration, row.cells).keyNorm);
    if (waiting) await waiting;
    rowsPerFile[change.fileOrdinal] = (rowsPerFile[change.fileOrdinal] ?? 0) + 1;
    totalRows += 1;
  }
  await stager.flush();
  await stager.settled();
  const files = rowsPerFile.map((rows, ordinal) => ({
    name: originalFiles[ordinal]?.name ?? `file-${ordinal + 1}.csv`,
    rows,
  }));
  return {
    files,
    columns: [...declaration.header],
    totalRows,
    chunkCount: stager.chunkCount,
  };
}
