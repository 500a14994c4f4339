/** A share as a whole percentage, `-` when there is none. */
export const percent = (value: number | null): string => (value === null ? '-' : `${(value * 100).toFixed(0)}%`);

/** Rows as aligned lines for a terminal: the first `leftColumns` columns left-aligned, the others right-aligned (figures). */
export const textTable = (rows: readonly (readonly string[])[], leftColumns = 1): string[] => {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((cell, i) => (i < leftColumns ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  '));
};
