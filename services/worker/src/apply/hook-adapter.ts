import type { HookSideChange, ObjectTableRepository } from '@bulkops/database';
import {
  storedValues,
  type HookRow,
  type ObjectDeclaration,
  type ObjectHooks,
} from '@bulkops/objects';
import type { ChunkScope } from './chunk-scope';
import { reject, type LiveRow } from './chunk-rows';

/** The live rows as a type's hooks see them: values read by column, rejection through the row. */
function hookRows(
  declaration: ObjectDeclaration,
  rows: readonly LiveRow[],
): HookRow<ObjectDeclaration>[] {
  return rows.map((row) => ({
    action: row.action,
    ...storedValues(declaration, row.values),
    existing: row.existing ? storedValues(declaration, row.existing.values) : null,
    id: row.id,
    keyDisplay: row.keyDisplay,
    reject: (problem) => reject(row, problem),
    get rejected() {
      return row.problems.length > 0;
    },
  }));
}

/**
 * Runs one stage of the type's hooks over the live rows, with the model context of the chunk's
 * transaction. A type without a hook for the stage costs nothing. Answers the objects the hooks
 * changed besides the rows (for the job's change records).
 */
export async function runHooks(
  scope: ChunkScope,
  objects: ObjectTableRepository,
  stage: keyof ObjectHooks,
  rows: readonly LiveRow[],
): Promise<HookSideChange[]> {
  const { declaration, manager, orgId } = scope;
  const { hooks } = declaration;
  if (!hooks[stage]) return [];
  const context = objects.hookContext(manager, declaration, orgId, hookRows(declaration, rows));
  await hooks[stage](context);
  return context.sideChanges;
}
