import type { ChangeToUndo, JobFileEntity, JobRelease, StagedRow } from '@bulkops/database';
import { BUNDLE, bundlePhase, checkRow, getObject, type ObjectDeclaration } from '@bulkops/objects';
import type { ChunkStager } from './chunk-stager';

/** The job an undo takes back, and its `object`: a type, or a bundle of several. */
export interface UndoOf {
  undoOf: string;
  object: string;
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
 * Stages an undo's rows from the original job's change records (see
 * JobChangeRepository.streamToUndo) as chunks of one type and file each, in the apply order a
 * bundle uses (`bundlePhase`): what restores objects in dependency order, then the removal of what
 * the job created in reverse dependency order, so a recreated team finds its recreated site and a
 * created site is removed only after its created teams. The rows keep the original's files and row
 * numbers, so the undo's error file points at the rows of the job it took back; its header is each
 * type's every column and Action.
 */
export async function stageUndo(
  { undoOf, object }: UndoOf,
  originalFiles: readonly Pick<JobFileEntity, 'name' | 'object'>[],
  changes: AsyncIterable<ChangeToUndo>,
  stager: ChunkStager,
): Promise<JobRelease> {
  const bundle = object === BUNDLE;
  const rowsPerFile = originalFiles.map(() => 0);
  let current: string | null = null;
  let totalRows = 0;
  for await (const change of changes) {
    const declaration = getObject(change.object);
    const group = `${change.object}:${change.fileOrdinal}`;
    if (group !== current) {
      await stager.flush();
      stager.startFile(change.fileOrdinal, bundle ? change.object : undefined);
      current = group;
    }
    const row = undoRowOf(declaration, change, undoOf);
    const checked = checkRow(declaration, row.cells);
    const waiting = stager.add(row, checked.keyNorm, bundlePhase(declaration, checked.action));
    if (waiting) await waiting;
    rowsPerFile[change.fileOrdinal] = (rowsPerFile[change.fileOrdinal] ?? 0) + 1;
    totalRows += 1;
  }
  await stager.flush();
  await stager.settled();
  const files = originalFiles.map((file, ordinal) => {
    // A file without a type of its own holds the job's (a single-type job).
    const type = file.object ?? object;
    return {
      name: file.name,
      rows: rowsPerFile[ordinal] ?? 0,
      object: type,
      columns: [...getObject(type).header],
    };
  });
  // A bundle's header is each file's; a single type's is the job's.
  const columns = bundle ? [] : [...getObject(object).header];
  return { files, columns, totalRows, chunkCount: stager.chunkCount };
}
