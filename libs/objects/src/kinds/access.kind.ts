import { column, type ColumnDefinition } from '../column';
import { when } from '../condition';
import { enumeration } from './enumeration.kind';
import type { ColumnKind } from './kind';

/** Which objects a profile grants: all of them, the listed ones, or none (objects.md §12, §13). */
export const access = enumeration(['ALL', 'SPECIFIC', 'NONE']);

/** Access where "none" is not an option (an agent profile's wrap-up and idle codes). */
export const allOrSpecificAccess = enumeration(['ALL', 'SPECIFIC']);

/** What `specificAccess` needs to declare its two columns. */
export interface SpecificAccessOptions {
  kind?: ColumnKind<string>;
  accessDescription: string;
  listDescription: string;
}

/**
 * An access column (default ALL) and the list it governs: the list is required when the access is
 * SPECIFIC and must be empty otherwise, as every "*Access" pair of the profiles says.
 */
export function specificAccess<const A extends string, const L extends string, S>(
  accessName: A,
  listName: L,
  listKind: ColumnKind<string[], S>,
  options: SpecificAccessOptions,
): [ColumnDefinition<string, string, A>, ColumnDefinition<string[], S, L>] {
  const specific = when(accessName).is('SPECIFIC');
  return [
    column(accessName, options.kind ?? access, {
      default: 'ALL',
      description: options.accessDescription,
    }),
    column(listName, listKind, {
      requiredWhen: specific,
      onlyWhen: specific,
      description: options.listDescription,
    }),
  ];
}
