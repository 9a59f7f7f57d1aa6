import { ErrorCode } from '@bulkops/contracts';
import type { Referrer } from '@bulkops/database';
import {
  targetNoun,
  textOf,
  type Column,
  type ObjectDeclaration,
  type RowProblem,
} from '@bulkops/objects';

/**
 * The sentences the worker writes about rows (objects.md §1.3–§1.5): what is wrong, where, and how
 * to fix it. Kept apart from the steps that find the problems, so each reads as what it checks.
 */
export const ApplyMessages = {
  /** A DELETE of an object that does not exist. */
  nothingToDelete(declaration: ObjectDeclaration, cells: readonly (string | null)[]): RowProblem {
    const key = declaration.key.join(' + ');
    const written = declaration.keyColumns.map((c) => (cells[c.index] ?? '').trim()).join('/');
    return {
      code: ErrorCode.NotFound,
      column: key,
      message: `${key}: no ${targetNoun(declaration.type)} '${written}' exists, so it cannot be deleted; check the name`,
    };
  },

  /** A reference looked up inside another column of the row that the file does not have. */
  missingParentColumn(column: Column, parent: Column): RowProblem {
    return {
      code: ErrorCode.RequiredValue,
      column: column.name,
      message: `${column.name}: names are looked up in the row's ${parent.name}, but the file has no ${parent.name} column; add it`,
    };
  },

  /** A stored reference that must be stated again because a cell it depends on changes. */
  restateReference(column: Column, changed: Column): RowProblem {
    return {
      code: ErrorCode.RequiredValue,
      column: column.name,
      message: `${column.name}: the row changes ${changed.name}, but the file has no ${column.name} column to check against it; add the ${column.name} column`,
    };
  },

  /**
   * An immutable field written with another value (objects.md §1.4). `storedName` is the display
   * key of the object a stored reference points at, when the column is a reference.
   */
  immutableChange(
    declaration: ObjectDeclaration,
    column: Column,
    cell: string,
    before: unknown,
    storedName: string | undefined,
  ): RowProblem {
    const stored =
      before === null
        ? 'it is stored empty'
        : column.kind.pgType === 'uuid'
          ? `it is stored as '${storedName ?? 'another object'}'`
          : typeof before === 'string' || typeof before === 'number' || typeof before === 'boolean'
            ? `it is stored as '${textOf(before)}'`
            : 'it is stored with another value';
    return {
      code: ErrorCode.ImmutableField,
      column: column.name,
      message: `${column.name}: cannot change once the ${targetNoun(declaration.type)} exists (${stored}, the row ${cell === '' ? 'leaves it empty' : `says '${cell}'`}); delete the object and create it again to change it`,
    };
  },

  /**
   * An object no longer in the state its row expects: the row is left alone (an undo never
   * overwrites a later change). `now` is what the object holds, `then` what the job left it with,
   * column by column; null `now` means the object is gone, null `then` that the job deleted it.
   */
  changedSince(
    declaration: ObjectDeclaration,
    keyDisplay: string,
    since: string,
    change:
      | { kind: 'deleted' }
      | { kind: 'recreated' }
      | { kind: 'changed'; columns: { name: string; now: string | null; then: string | null }[] },
  ): RowProblem {
    const object = `${declaration.label} '${keyDisplay}'`;
    const what = (() => {
      switch (change.kind) {
        case 'deleted':
          return `was deleted after job ${since}`;
        case 'recreated':
          return `was created again after job ${since} deleted it`;
        case 'changed':
          return `was changed after job ${since}: ${change.columns
            .map(
              (c) =>
                `${c.name} is now ${c.now === null ? 'empty' : `'${c.now}'`}, the job ${c.then === null ? 'left it empty' : `set '${c.then}'`}`,
            )
            .join('; ')}`;
      }
    })();
    return {
      code: ErrorCode.ChangedSince,
      column: declaration.key.join(' + '),
      message: `left alone: ${object} ${what}`,
    };
  },

  /** A DELETE of an object others still reference (objects.md §1.3, IN_USE). */
  inUse(
    declaration: ObjectDeclaration,
    keyDisplay: string,
    referrers: readonly Referrer[],
  ): RowProblem {
    return {
      code: ErrorCode.InUse,
      column: declaration.key.join(' + '),
      message: `${declaration.label} '${keyDisplay}' is used by ${describeReferrers(referrers)}; remove those references first`,
    };
  },
};

/** "team 'Austin/Sales', user 'ada@example.com' and 4 more" (objects.md §1.3). */
export function describeReferrers(referrers: readonly Referrer[]): string {
  const named: string[] = [];
  let total = 0;
  for (const r of referrers) {
    total += r.count;
    for (const key of r.keys) {
      if (named.length < 5) named.push(`${targetNoun(r.type)} '${key}'`);
    }
  }
  const more = total - named.length;
  if (more > 0) return `${named.join(', ')} and ${more} more`;
  return named.length > 1 ? `${named.slice(0, -1).join(', ')} and ${named.at(-1)}` : named.join('');
}
