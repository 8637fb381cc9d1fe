import type { TrialRecord } from './trial-record.js';

/**
 * A plain-text table of trials: trial, state, objective, steps reported, params (one column
 * per searched path), best marked with `*`.
 *
 * @example
 * console.log(formatTrialTable(result.trials, { metric: 'val/accuracy', best: result.best }));
 */
export function formatTrialTable(trials: readonly TrialRecord[], options: { metric?: string; best?: TrialRecord | undefined } = {}): string {
  const paths = [...new Set(trials.flatMap((t) => Object.keys(t.params)))];
  const fmt = (v: unknown) => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : Number(v.toPrecision(4)).toString()) : String(v));
  const head = ['trial', 'state', options.metric ?? 'objective', 'steps', ...paths];
  const rows = trials.map((t) => [
    `${t.id}${options.best?.id === t.id ? '*' : ''}`,
    t.state,
    t.value === undefined ? '-' : fmt(t.value),
    String(t.intermediate.size),
    ...paths.map((p) => (p in t.params ? fmt(t.params[p]) : '-')),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
