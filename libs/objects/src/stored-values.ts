import type { ObjectDeclaration } from './define-object';
import type { ColumnName, StoredValue, StoredValues } from './object-hooks';

/** Reads values held in declaration order by canonical column name, the way hooks read them. */
export function storedValues(
  declaration: ObjectDeclaration,
  values: readonly unknown[],
): StoredValues<ObjectDeclaration> {
  return {
    get: <N extends ColumnName<ObjectDeclaration>>(name: N) =>
      (values[declaration.column(name).index] ?? null) as StoredValue<ObjectDeclaration, N> | null,
  };
}
