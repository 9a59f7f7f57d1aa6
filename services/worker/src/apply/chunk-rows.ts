import type { ChunkForApply, ExpectedState, RowSource, StoredRecord } from '@bulkops/database';
import { checkRow, type ObjectDeclaration, type RowProblem } from '@bulkops/objects';

/** A row of the chunk on its way through the steps. */
export interface LiveRow {
  index: number;
  line: number;
  cells: (string | null)[];
  action: 'upsert' | 'delete';
  keyNorm: string;
  /** Parsed values in declaration order; undefined where the file has no such column. */
  input: unknown[];
  /** Settled and, after binding, stored values. */
  values: unknown[];
  keyDisplay: string;
  existing: StoredRecord | null;
  /** The object's id: the stored one, or the new one once written. */
  id: string | null;
  problems: RowProblem[];
  /** Content values in declaration content order, when the row carries content (a media row). */
  content: unknown[] | undefined;
  source: RowSource | undefined;
  /** The object's state the row may be applied over, when the row says (see ExpectedStateCheck). */
  expected: ExpectedState | undefined;
}

/** A rejected row as the error report records it. */
export interface RejectedRow {
  line: number;
  cells: (string | null)[];
  problems: RowProblem[];
  source?: RowSource;
}

/** Rejects a row: it takes no further step and goes to the error report. */
export function reject(row: LiveRow, problem: RowProblem): void {
  row.problems.push(problem);
}

function rejectedRow(
  line: number,
  cells: (string | null)[],
  problems: RowProblem[],
  source: RowSource | undefined,
): RejectedRow {
  return { line, cells, problems, ...(source ? { source } : {}) };
}

/**
 * The rows of one chunk: those still live (no problem so far) and those rejected. Rows staged with
 * problems (cells beyond the header; a media row's own) and rows whose key the job repeats are
 * rejected from the start; every row staged without problems is read with the row checks here
 * (ingest stages a CSV row's cells and key, unchecked), so the worker trusts nothing but the cells.
 */
export class ChunkRows {
  private constructor(
    private readonly rows: readonly LiveRow[],
    private readonly rejectedEarlier: readonly RejectedRow[],
  ) {}

  static read(declaration: ObjectDeclaration, chunk: ChunkForApply): ChunkRows {
    const rows: LiveRow[] = [];
    const rejected: RejectedRow[] = [];
    chunk.rows.forEach((staged, index) => {
      const rejection = chunk.rejections?.[String(index)];
      const earlier = staged.problems ?? [];
      if (earlier.length > 0 || rejection) {
        // A row staged with problems keeps them; a repeated key lists the row's own problems first,
        // as for any row, then the repetition.
        const own = earlier.length > 0 ? earlier : checkRow(declaration, staged.cells).problems;
        const problems = rejection ? [...own, rejection] : own;
        rejected.push(rejectedRow(staged.line, staged.cells, problems, staged.source));
        return;
      }
      const checked = checkRow(declaration, staged.cells);
      rows.push({
        index,
        line: staged.line,
        cells: staged.cells,
        action: checked.action,
        keyNorm: checked.keyNorm ?? '',
        input: checked.values,
        values: checked.values,
        keyDisplay: '',
        existing: null,
        id: null,
        problems: checked.problems,
        content: staged.content
          ? declaration.content.map((c) => staged.content![c.field] ?? null)
          : undefined,
        source: staged.source,
        expected: staged.expected,
      });
    });
    return new ChunkRows(rows, rejected);
  }

  /** Rows without a problem so far. */
  live(): LiveRow[] {
    return this.rows.filter((row) => row.problems.length === 0);
  }

  upserts(): LiveRow[] {
    return this.live().filter((row) => row.action === 'upsert');
  }

  deletes(): LiveRow[] {
    return this.live().filter((row) => row.action === 'delete');
  }

  /** Every rejected row: those rejected before the worker, then the others in chunk order. */
  rejected(): RejectedRow[] {
    return [
      ...this.rejectedEarlier,
      ...this.rows
        .filter((row) => row.problems.length > 0)
        .map((row) => rejectedRow(row.line, row.cells, row.problems, row.source)),
    ];
  }
}
