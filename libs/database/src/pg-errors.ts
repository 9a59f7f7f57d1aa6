/** The Postgres unique-violation error a driver throws, with the constraint that fired. */
export function uniqueViolation(error: unknown): string | null {
  const e = error as {
    code?: string;
    constraint?: string;
    driverError?: { code?: string; constraint?: string };
  };
  const source = e.driverError ?? e;
  return source.code === '23505' ? (source.constraint ?? '') : null;
}
