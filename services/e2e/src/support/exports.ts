import { JobStatus } from '@bulkops/contracts';
import { unneutralise } from '@bulkops/csv';
import { getObject, OBJECT_TYPES, type ObjectDeclaration } from '@bulkops/objects';
import type { DataSource } from 'typeorm';
import { fixturesOf, parseCsv, waitFor, type ApiDriver } from '@bulkops/testing';

/** A CSV answer as rows of raw cells (neutralisation kept), after checking BOM and CRLF line ends. */
export function csvRows(bytes: Buffer): string[][] {
  const text = bytes.toString('utf8');
  if (!text.startsWith('\uFEFF')) throw new Error('the CSV does not start with a UTF-8 BOM');
  if (/[^\r]\n/.test(text) || !text.endsWith('\r\n'))
    throw new Error('the CSV has a line that does not end in CRLF');
  return parseCsv(text.slice(1));
}

/** The rows' cells as an import reads them: formula neutralisation undone. */
export function storedCells(rows: string[][]): string[][] {
  return rows.map((row) => row.map(unneutralise));
}

/** The normalised key of each data row, as the object tables hold it (`austin/sales`), through the key columns' kinds. */
export function rowKeys(declaration: ObjectDeclaration, rows: string[][]): string[] {
  const [header, ...data] = rows;
  return data.map((row) =>
    declaration.keyColumns
      .map((column) => {
        const parsed = column.kind.parse(
          unneutralise(row[header.indexOf(column.name)]),
          column.name,
        );
        if (!parsed.ok) throw new Error(parsed.problem.message);
        return column.kind.norm(parsed.value);
      })
      .join('/'),
  );
}

/** The type and everything it references, directly or not, in registry (import) order. */
export function withDependencies(type: string): ObjectDeclaration[] {
  const needed = new Set<string>();
  const visit = (t: string) => {
    if (needed.has(t)) return;
    needed.add(t);
    getObject(t).dependsOn.forEach(visit);
  };
  visit(type);
  return OBJECT_TYPES.filter((d) => needed.has(d.type));
}

/**
 * Imports the valid fixtures of the given types in order; each job must complete without errors. A
 * type without fixtures is passed over: fixtures that needed its records would fail to import.
 */
export async function importValidFixtures(
  api: ApiDriver,
  token: string,
  declarations: readonly ObjectDeclaration[],
): Promise<void> {
  for (const declaration of declarations) {
    const fixtures = fixturesOf(declaration.type);
    if (!fixtures) continue;
    const job = await api.run(token, declaration.type, {
      name: fixtures.validName,
      content: fixtures.valid,
    });
    if (job.status !== JobStatus.Completed)
      throw new Error(
        `importing the ${declaration.type} fixtures ended ${job.status}: ${JSON.stringify(job.failure ?? job.errorSummary)}`,
      );
  }
}

/**
 * The export with one cell changed to another valid value: the first non-key, mutable, non-reference
 * cell that its column kind accepts with a small edit (text, numbers), else one whose enumeration has
 * another value. Chosen through the declaration, so it works for any type. Answers the edited rows
 * and what was changed.
 */
export function editOneCell(
  declaration: ObjectDeclaration,
  rows: string[][],
): { rows: string[][]; row: number; column: string; from: string; to: string } {
  const header = rows[0];
  const strategies: ((cell: string, values: readonly string[]) => string[])[] = [
    (cell) => [`${cell}x`, `${cell}0`, cell.slice(0, -1)],
    (cell, values) => values.filter((v) => v !== cell),
  ];
  for (const edits of strategies) {
    for (let r = 1; r < rows.length; r += 1) {
      for (const column of declaration.columns) {
        if (column.isKey || column.immutable || column.kind.reference) continue;
        const at = header.indexOf(column.name);
        const cell = unneutralise(rows[r][at]);
        if (cell === '') continue;
        const before = column.kind.parse(cell, column.name);
        for (const edited of edits(cell, column.kind.meta.values ?? [])) {
          const after = column.kind.parse(edited, column.name);
          if (
            before.ok &&
            after.ok &&
            JSON.stringify(before.value) !== JSON.stringify(after.value)
          ) {
            const copy = rows.map((row) => [...row]);
            copy[r][at] = edited;
            return { rows: copy, row: r, column: column.name, from: cell, to: edited };
          }
        }
      }
    }
  }
  throw new Error(`no cell of the ${declaration.type} export can be edited to another valid value`);
}

/**
 * The export cursors running in the test's database, and whether each has fetched nothing for a
 * second: pg-cursor's every fetch is an Execute, which resets state_change, so an old state_change
 * means the export is stalled.
 */
function exportCursors(dataSource: DataSource): Promise<{ pid: number; stalled: boolean }[]> {
  return dataSource.query(
    `SELECT pid, now() - state_change > interval '1 second' AS stalled FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE 'SELECT t.id, t.key_norm, t.key_display%ORDER BY t.key_norm'`,
  );
}

/** Waits for the one export cursor to stall on a client that stopped reading; answers its backend. */
export async function stalledExportCursor(dataSource: DataSource): Promise<number> {
  const [stalled] = await waitFor(
    'the export query to stall on the unread connection',
    async () => {
      const found = await exportCursors(dataSource);
      return found.length === 1 && found[0].stalled ? found : undefined;
    },
    30_000,
    200,
  );
  return stalled.pid;
}

/**
 * Waits for the export cursors to go away, then answers whether the stalled one's connection went
 * back to the pool after rolling back the export's snapshot (or the pool closed it).
 */
export async function exportCursorReleased(dataSource: DataSource, pid: number): Promise<boolean> {
  await waitFor(
    'the export query to go away after the client disconnected',
    async () => (await exportCursors(dataSource)).length === 0,
    10_000,
  );
  const [backend] = await dataSource.query<{ state: string; query: string }[]>(
    `SELECT state, query FROM pg_stat_activity WHERE pid = $1`,
    [pid],
  );
  return backend === undefined || (backend.state === 'idle' && backend.query === 'ROLLBACK');
}
