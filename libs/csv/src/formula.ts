// Spreadsheet programs run cells starting with these as formulas (CSV injection).
const TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r']);

/**
 * Whether a cell, once its leading quotes are set aside, starts like a formula. Counting the quotes
 * makes the scheme exactly reversible: a stored value that itself begins with `'=` gains one more
 * quote on export and loses exactly that one on import.
 */
function formulaLike(cell: string): boolean {
  let i = 0;
  while (cell[i] === "'") i += 1;
  return i < cell.length && TRIGGERS.has(cell[i]);
}

/** Prefixes a cell that a spreadsheet would run as a formula with one `'` (export side). */
export function neutralise(cell: string): string {
  return formulaLike(cell) ? `'${cell}` : cell;
}

/** Removes exactly the `'` that `neutralise` added, and nothing else (import side). */
export function unneutralise(cell: string): string {
  return cell.startsWith("'") && formulaLike(cell) ? cell.slice(1) : cell;
}
