import type { CleaningReport } from './clean-samples.js';

/** Options of {@link formatCleaningReport}. */
export interface FormatCleaningOptions {
  /** List at most this many dropped rows, then say how many more there are. Default: all. */
  maxRows?: number;
}

/**
 * Renders a cleaning report as text: totals, dropped rows per reason, class balance before and
 * after, and one line per dropped row (`file:line  id  reason: detail`).
 *
 * @param report What cleanSamples returned.
 * @param options How many dropped rows to list (default all).
 * @example
 * console.log(formatCleaningReport(report, { maxRows: 50 }));
 * // cleaning: 1000 rows, 962 kept, 38 dropped
 * // dropped per reason:
 * //   duplicate      30
 * //   missing-file    8
 * // class balance (before -> after):
 * //   cat  500 -> 488
 * //   ...
 */
export function formatCleaningReport(report: CleaningReport, options: FormatCleaningOptions = {}): string {
  const { summary, dropped } = report;
  const lines = [`cleaning: ${summary.total} rows, ${summary.kept} kept, ${summary.dropped} dropped`];
  const reasons = Object.entries(summary.byReason).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  if (reasons.length) lines.push('dropped per reason:', ...table(reasons.map(([r, n]) => [r, String(n)])));
  const classes = Object.keys(summary.classBalanceBefore);
  if (classes.length) {
    lines.push(
      'class balance (before -> after):',
      ...table(classes.map((c) => [c, String(summary.classBalanceBefore[c]), `-> ${summary.classBalanceAfter[c] ?? 0}`])),
    );
  }
  const shown = dropped.slice(0, options.maxRows ?? dropped.length);
  if (shown.length) lines.push('dropped rows:');
  for (const row of shown) {
    const place = row.source.line === undefined ? row.source.file : `${row.source.file}:${row.source.line}`;
    const why = row.problems.map((p) => `${p.reason}: ${p.detail}`).join('; ');
    lines.push(`  ${place}  ${row.id}  ${why}`);
  }
  if (shown.length < dropped.length) lines.push(`  ... and ${dropped.length - shown.length} more (see report.dropped)`);
  return lines.join('\n');
}

/** Left-aligns the first column and right-aligns the second, two spaces in. */
function table(rows: string[][]): string[] {
  const w0 = Math.max(...rows.map((r) => r[0]!.length));
  const w1 = Math.max(...rows.map((r) => r[1]!.length));
  return rows.map((r) => `  ${r[0]!.padEnd(w0)}  ${r[1]!.padStart(w1)}${r[2] ? ` ${r[2]}` : ''}`);
}
