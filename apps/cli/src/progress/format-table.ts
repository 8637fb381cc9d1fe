/** A table cell: text is left-aligned, numbers right-aligned. */
export type TableCell = string | number | undefined;

/** Options of {@link formatTable}. */
export interface FormatTableOptions {
  /** The column headings in order. Default: the keys of the first row. */
  columns?: readonly string[];
  /** Digits after the point for non-integer numbers. Default 4. */
  digits?: number;
  /** A line printed above the table. Default: none. */
  title?: string;
}

/**
 * Renders rows as a plain-text table with a heading rule, for summaries at the end of a command:
 * text columns left-aligned, number columns right-aligned, missing cells shown as `-`.
 *
 * @param rows One object per row, keyed by column heading.
 * @param options Columns, number format and title (see {@link FormatTableOptions}).
 * @returns The table, lines joined with `\n`, no trailing newline.
 *
 * @example
 * formatTable([{ model: 'fused', 'test accuracy': 0.9712 }, { model: 'image', 'test accuracy': 0.9 }]);
 * // model  test accuracy
 * // -----  -------------
 * // fused         0.9712
 * // image         0.9000
 */
export function formatTable(rows: ReadonlyArray<Readonly<Record<string, TableCell>>>, options: FormatTableOptions = {}): string {
  const columns = options.columns ?? Object.keys(rows[0] ?? {});
  const digits = options.digits ?? 4;
  const show = (cell: TableCell): string =>
    cell === undefined ? '-' : typeof cell === 'number' ? (Number.isInteger(cell) ? String(cell) : cell.toFixed(digits)) : cell;
  const numeric = columns.map((c) => rows.some((r) => typeof r[c] === 'number') && rows.every((r) => typeof r[c] !== 'string'));
  const cells = rows.map((r) => columns.map((c) => show(r[c])));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)));
  const render = (row: readonly string[]) =>
    row
      .map((cell, i) => (numeric[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const lines = [render(columns), render(widths.map((w) => '-'.repeat(w))), ...cells.map(render)];
  return (options.title === undefined ? lines : [options.title, ...lines]).join('\n');
}
