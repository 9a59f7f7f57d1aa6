import {
  NameTable,
  type ChangeAction,
  type ChangeToRecord,
  type HookSideChange,
  type JobChangeRepository,
  type ObjectTableRepository,
} from '@bulkops/database';
import { canonicalValues, getObject, referencedIds } from '@bulkops/objects';
import type { ChunkScope } from './chunk-scope';
import type { LiveRow } from './chunk-rows';
import type { ReferenceResolver } from './reference-resolver';

/**
 * Where the row indexes of side changes start: past any row of a chunk (a chunk holds at most
 * INGEST_CHUNK_SIZE rows, far fewer), so they never take a row's place and list after the rows.
 */
const FIRST_SIDE_INDEX = 1_000_000;

/** A row the write step created, updated or deleted an object for. */
export interface ChangedRow {
  row: LiveRow;
  action: ChangeAction;
}

/**
 * Records what a chunk changed (JobChangeRepository), in the chunk's transaction: per changed row its
 * action and the object's canonical values before and after, references by name, the way an export
 * writes them. Unchanged rows record nothing. Names come from the objects the binder already
 * loaded; the rest (references the stored objects held) is looked up with one query per referenced
 * type, so recording costs one INSERT and at most a few bulk reads per chunk, never a query per row.
 * Media rows record their manifest columns only: the content is bytes, not text a user reads.
 * Objects a hook changed besides the rows (a default flag moving) are recorded as updates after
 * the rows, with source row 0: a rule of the type made them, not a line of the file.
 */
export class ChangeRecorder {
  constructor(
    private readonly scope: ChunkScope,
    private readonly objects: ObjectTableRepository,
    private readonly changes: JobChangeRepository,
  ) {}

  async record(
    chunk: { seq: number; fileOrdinal: number },
    changed: readonly ChangedRow[],
    resolver: ReferenceResolver | null,
    sideChanges: readonly HookSideChange[] = [],
  ): Promise<void> {
    if (changed.length === 0 && sideChanges.length === 0) return;
    const { manager, orgId, jobId, declaration } = this.scope;
    const names = await this.names(changed, resolver, sideChanges);
    const canonical = (values: readonly unknown[] | undefined) =>
      values ? canonicalValues(declaration, values, names.lookup) : null;
    // In row order, as the records are stored; made one at a time as they are written, so each
    // change's text dies young.
    const inRowOrder = [...changed].sort((a, b) => a.row.index - b.row.index);
    function* records(): Generator<ChangeToRecord> {
      for (const { row, action } of inRowOrder) {
        const before = action === 'create' ? undefined : row.existing?.values;
        const after = action === 'delete' ? undefined : row.values;
        yield {
          rowIndex: row.index,
          action,
          objectId: row.id ?? row.existing!.id,
          keyDisplay: row.keyDisplay || row.existing!.keyDisplay,
          before: canonical(before),
          after: canonical(after),
          sourceRow: row.line,
        };
      }
      for (const [i, side] of sideChanges.entries()) {
        yield {
          rowIndex: FIRST_SIDE_INDEX + i,
          action: 'update',
          objectId: side.id,
          keyDisplay: side.keyDisplay,
          before: canonical(side.before),
          after: canonical(side.after),
          sourceRow: 0,
        };
      }
    }
    await this.changes.record(
      manager,
      orgId,
      jobId,
      { seq: chunk.seq, fileOrdinal: chunk.fileOrdinal, object: declaration.type },
      records(),
    );
  }

  /**
   * Names of every object the changed values reference. A create's references, and an update's new
   * ones, were all bound through the resolver, which loaded their names already; what an update kept
   * or a delete removed is what the stored objects held, so only the stored values of updates and
   * deletes are searched for ids the resolver does not know, and those are read in one query per
   * referenced type.
   */
  private async names(
    changed: readonly ChangedRow[],
    resolver: ReferenceResolver | null,
    sideChanges: readonly HookSideChange[],
  ): Promise<NameTable> {
    const { manager, orgId, declaration } = this.scope;
    const names = new NameTable();
    if (declaration.referenceColumns.length === 0) return names;
    resolver?.addNamesTo(names);
    const stored = new Map<string, Set<string>>();
    for (const { row, action } of changed) {
      if (action !== 'create' && row.existing)
        referencedIds(declaration, row.existing.values, stored);
    }
    for (const side of sideChanges) referencedIds(declaration, side.before, stored);
    for (const [target, ids] of stored) {
      const missing = [...ids].filter((id) => !names.has(target, id));
      if (missing.length === 0) continue;
      names.add(target, await this.objects.names(manager, getObject(target), orgId, missing));
    }
    return names;
  }
}
