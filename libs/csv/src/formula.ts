// Spreadsheet programs run cells starting with these as formulas (CSV injection).
const TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r']);

// One or more `'` and then a trigger. A stored value of this shape (a description "'=x") would lose
// its own `'` on import if export left it alone, so export adds one more and import removes one:
// every stored value survives the round trip exactly (objects.md §1.4, §1.9).
function startsLikeNeutralised(cell: string): boolean {
  let i = 0;
  while (cell[i] === "'") i += 1;
  return i > 0 && i < cell.length && TRIGGERS.has(cell[i]!);
}

/**
 * Prefixes with one `'` a cell that a spreadsheet would run as a formula (export side), and a cell
 * that already looks neutralised, so that `unneutralise` gives back exactly the stored value.
 */
export function neutralise(cell: string): string {
  return (cell.length > 0 && TRIGGERS.has(cell[0]!)) || startsLikeNeutralised(cell) ? `'${cell}` : cell;
}

/** Removes exactly the one `'` that `neutralise` added, and nothing else (import side). */
export function unneutralise(cell: string): string {
  return startsLikeNeutralised(cell) ? cell.slice(1) : cell;
}
