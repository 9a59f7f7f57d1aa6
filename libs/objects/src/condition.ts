import type { RowValues } from './kinds/kind';

/**
 * A rule over the other cells of a row, used for conditionally required and conditionally allowed
 * columns. `test` answers undefined when a cell it needs is unknown (its column is not in the file
 * and the stored value is not at hand yet); the worker asks again once it has the stored state.
 */
export interface Condition {
  /** The rule in words, e.g. "Type is CAPACITY", for messages and `GET /v1/objects`. */
  readonly describe: string;
  test(row: RowValues): boolean | undefined;
}

/** Marks a cell whose value is not known (absent column before the stored state is merged). */
export const UNKNOWN = Symbol('unknown');

function known(row: RowValues, column: string): unknown {
  return row.get(column);
}

/** Conditions on one column's value. */
export function when(column: string) {
  return {
    /** The (enumeration) value is one of these. */
    is(...values: string[]): Condition {
      return {
        describe: `${column} is ${values.join(' or ')}`,
        test(row) {
          const value = known(row, column);
          return value === UNKNOWN ? undefined : values.includes(String(value));
        },
      };
    },
    isTrue(): Condition {
      return {
        describe: `${column} is TRUE`,
        test(row) {
          const value = known(row, column);
          return value === UNKNOWN ? undefined : value === true;
        },
      };
    },
    isFalse(): Condition {
      return {
        describe: `${column} is FALSE`,
        test(row) {
          const value = known(row, column);
          return value === UNKNOWN ? undefined : value === false;
        },
      };
    },
    filled(): Condition {
      return {
        describe: `${column} is set`,
        test(row) {
          const value = known(row, column);
          if (value === UNKNOWN) return undefined;
          return (
            value !== null && value !== undefined && !(Array.isArray(value) && value.length === 0)
          );
        },
      };
    },
  };
}

/** True when any of the conditions is true; unknown when none is true and one is unknown. */
export function anyOf(...conditions: Condition[]): Condition {
  return {
    describe: conditions.map((c) => c.describe).join(' or '),
    test(row) {
      let unknown = false;
      for (const condition of conditions) {
        const result = condition.test(row);
        if (result === true) return true;
        if (result === undefined) unknown = true;
      }
      return unknown ? undefined : false;
    },
  };
}

/** True when every condition is true; unknown when none is false and one is unknown. */
export function allOf(...conditions: Condition[]): Condition {
  return {
    describe: conditions.map((c) => c.describe).join(' and '),
    test(row) {
      let unknown = false;
      for (const condition of conditions) {
        const result = condition.test(row);
        if (result === false) return false;
        if (result === undefined) unknown = true;
      }
      return unknown ? undefined : true;
    },
  };
}
