/** One run in a {@link ParallelCoordinates} view. */
export interface ParallelRow {
  id: string;
  label: string;
  values: Record<string, number | string | boolean | null | undefined>;
}

/** Props of {@link ParallelCoordinates}. */
export interface ParallelCoordinatesProps {
  rows: ParallelRow[];
  /** The axes, left to right; the last is usually the metric (lines are colored by it). */
  axes: string[];
  /** The axis lines are colored by (blue = low, red = high). */
  colorBy: string;
  width?: number;
  height?: number;
}

/** Where a value sits on its axis, in [0, 1] (numbers: linear from min to max; others: evenly spaced categories). */
function axisScale(values: Array<ParallelRow['values'][string]>): { at: (v: ParallelRow['values'][string]) => number | null; ticks: string[] } {
  const present = values.filter((v) => v !== null && v !== undefined);
  if (present.length > 0 && present.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    const nums = present as number[];
    const lo = Math.min(...nums);
    const hi = Math.max(...nums);
    const span = hi - lo || 1;
    return { at: (v) => (typeof v === 'number' && Number.isFinite(v) ? (hi === lo ? 0.5 : (v - lo) / span) : null), ticks: [fmt(lo), fmt(hi)] };
  }
  const categories = [...new Set(present.map(String))].sort();
  return { at: (v) => (v === null || v === undefined ? null : categories.length === 1 ? 0.5 : categories.indexOf(String(v)) / (categories.length - 1)), ticks: categories };
}

const fmt = (v: number): string => (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e4) ? v.toExponential(2) : String(Number(v.toPrecision(4))));

/**
 * Parallel coordinates (SVG): one vertical axis per hyperparameter plus the metric, one polyline
 * per run, colored by `colorBy`. Hover a line for its run.
 *
 * @example <ParallelCoordinates rows={[{ id: 'a', label: 'a', values: { lr: 0.1, acc: 0.9 } }]} axes={['lr', 'acc']} colorBy="acc" />
 */
export function ParallelCoordinates({ rows, axes, colorBy, width = 640, height = 260 }: ParallelCoordinatesProps) {
  const pad = { left: 40, right: 40, top: 28, bottom: 24 };
  const scales = axes.map((a) => axisScale(rows.map((r) => r.values[a])));
  const color = axisScale(rows.map((r) => r.values[colorBy]));
  const x = (i: number): number => pad.left + (axes.length === 1 ? 0 : (i * (width - pad.left - pad.right)) / (axes.length - 1));
  const y = (t: number): number => pad.top + (1 - t) * (height - pad.top - pad.bottom);
  return (
    <div class="card">
      <h3>parallel coordinates (colored by {colorBy})</h3>
      <svg class="parallel" width="100%" height={height} preserveAspectRatio="xMidYMid meet" viewBox={`0 0 ${width} ${height}`}>
        {rows.map((r) => {
          const points = axes.map((a, i) => [x(i), scales[i]!.at(r.values[a])] as const).filter(([, t]) => t !== null).map(([px, t]) => `${px},${y(t!)}`);
          const t = color.at(r.values[colorBy]) ?? 0.5;
          return (
            <polyline key={r.id} data-run={r.id} points={points.join(' ')} fill="none" stroke={`hsl(${220 - 220 * t}, 70%, 48%)`} stroke-width={2} stroke-opacity={0.85}>
              <title>{`${r.label}: ${axes.map((a) => `${a}=${r.values[a] ?? '–'}`).join(', ')}`}</title>
            </polyline>
          );
        })}
        {axes.map((a, i) => (
          <g key={a} class="axis">
            <line x1={x(i)} x2={x(i)} y1={y(0)} y2={y(1)} stroke="#486581" />
            <text x={x(i)} y={14} text-anchor="middle">{a}</text>
            {scales[i]!.ticks.map((tick, k, all) => (
              <text key={tick} x={x(i) + 4} y={y(all.length === 1 ? 0.5 : k / (all.length - 1)) + 4} class="tick">{tick}</text>
            ))}
          </g>
        ))}
      </svg>
    </div>
  );
}
