import {
  NameTable,
  type JobChangeRepository,
  type ObjectTableRepository,
  type StoredRecord,
} from '@bulkops/database';
import { canonicalValues, getObject, referencedIds } from '@bulkops/objects';
import { ApplyMessages } from './apply-messages';
import type { ChunkScope } from './chunk-scope';
import { reject, type LiveRow } from './chunk-rows';

/** How many differing columns a message names; the rest would drown the first ones. */
const NAMED_COLUMNS = 5;

/**
 * Rows that say which state their object must be in (`expected`, e.g. the after-image of the job an
 * undo takes back) are applied only over exactly that state: the object's current canonical values
 * (objects.md §1.9, references by name, as an export writes them) must equal the expected ones, or
 * the object must not exist when null is expected (key columns, which found the object, are not
 * compared again). Otherwise the row is left alone with a message
 * naming what changed. Read in the chunk's transaction, after the stored objects were loaded, so
 * the comparison and the write see the same rows. Generic: no object type is named here.
 *
 * A change this job made itself in an earlier chunk is not "changed since": restoring one object
 * can move state off another through the type's rules (a default flag moving back to the code that
 * held it takes it from the code the undone job created), and that object's own row must still
 * apply over the state the job itself left.
 */
export class ExpectedStateCheck {
  constructor(
    private readonly scope: ChunkScope,
    private readonly objects: ObjectTableRepository,
    private readonly changes: JobChangeRepository,
  ) {}

  async check(rows: readonly LiveRow[]): Promise<void> {
    const { declaration } = this.scope;
    const expecting = rows.filter((row) => row.expected !== undefined);
    if (expecting.length === 0) return;
    const stored = expecting.flatMap((row) => (row.existing ? [row.existing] : []));
    const names = await this.namesOf(stored);
    const changed: { row: LiveRow; current: (string | null)[]; expected: (string | null)[] }[] = [];
    for (const row of expecting) {
      const { values: expected, since } = row.expected!;
      if (expected === null) {
        if (row.existing) {
          reject(
            row,
            ApplyMessages.changedSince(declaration, row.existing.keyDisplay, since, {
              kind: 'recreated',
            }),
          );
        }
        continue;
      }
      if (!row.existing) {
        reject(
          row,
          ApplyMessages.changedSince(declaration, this.writtenKey(row), since, { kind: 'deleted' }),
        );
        continue;
      }
      const current = canonicalValues(declaration, row.existing.values, names.lookup);
      if (!this.same(current, expected)) changed.push({ row, current, expected });
    }
    if (changed.length === 0) return;
    // Only objects not in their expected state can owe it to this job: its own changes are read
    // for those alone.
    const { manager, orgId, jobId } = this.scope;
    const own = await this.changes.lastOwnChanges(
      manager,
      orgId,
      jobId,
      changed.map(({ row }) => row.existing!.id),
    );
    for (const { row, current, expected } of changed) {
      const mine = own.get(row.existing!.id);
      if (
        mine?.before &&
        mine.after &&
        this.same(mine.before, expected) &&
        this.same(mine.after, current)
      )
        continue;
      const columns = this.differing(current, expected).map((c) => ({
        name: c.name,
        now: current[c.index] ?? null,
        then: expected[c.index] ?? null,
      }));
      reject(
        row,
        ApplyMessages.changedSince(declaration, row.existing!.keyDisplay, row.expected!.since, {
          kind: 'changed',
          columns: columns.slice(0, NAMED_COLUMNS),
        }),
      );
    }
  }

  /**
   * Columns whose canonical values differ. Key columns matched already (the object was found by its
   * normalised key), and they keep the spelling of the row that created the object, whatever a
   * later row wrote.
   */
  private differing(a: readonly (string | null)[], b: readonly (string | null)[]) {
    return this.scope.declaration.columns.filter(
      (c) => !c.isKey && (a[c.index] ?? null) !== (b[c.index] ?? null),
    );
  }

  private same(a: readonly (string | null)[], b: readonly (string | null)[]): boolean {
    return this.differing(a, b).length === 0;
  }

  /** Names of everything the stored objects reference, one query per referenced type. */
  private async namesOf(stored: readonly StoredRecord[]): Promise<NameTable> {
    const { manager, orgId, declaration } = this.scope;
    const wanted = new Map<string, Set<string>>();
    for (const record of stored) referencedIds(declaration, record.values, wanted);
    const names = new NameTable();
    for (const [target, ids] of wanted) {
      names.add(target, await this.objects.names(manager, getObject(target), orgId, [...ids]));
    }
    return names;
  }

  /** The key as the row writes it, for an object that is not stored. */
  private writtenKey(row: LiveRow): string {
    return this.scope.declaration.keyColumns
      .map((c) => (row.cells[c.index] ?? '').trim())
      .join('/');
  }
}
