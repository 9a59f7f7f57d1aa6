// Spreadsheet programs run cells starting with these as formulas (CSV injection).
const TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r']);

/** Prefixes a cell that a spreadsheet would run as a formula with one `'` (export side). */
export function neutralise(cell: string): string {
  return cell.length > 0 && TRIGGERS.has(cell[0]!) ? `'${cell}` : cell;
}

/** Removes exactly the `'` that `neutralise` added, and nothing else (import side). */
export function unneutralise(cell: string): string {
  return cell.length > 1 && cell[0] === "'" && TRIGGERS.has(cell[1]!) ? cell.slice(1) : cell;
}
