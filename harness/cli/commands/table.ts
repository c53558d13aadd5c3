/**
 * Rows as Compose v2 prints its tables (Go's tabwriter): each column padded to its widest cell and
 * `padding` spaces (three, as most of v2's tables), or to `minWidth` when that is wider; the last
 * one not padded.
 */
export function table(rows: readonly (readonly string[])[], minWidth = 0, padding = 3): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(minWidth, padding + Math.max(...rows.map((r) => r[i]!.length))))
  return rows.map((row) => row.map((cell, i) => (i < row.length - 1 ? cell.padEnd(widths[i]!) : cell)).join(''))
}
