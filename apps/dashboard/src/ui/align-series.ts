import type uPlot from 'uplot';

/** (steps, values) of one line. */
export interface Line {
  steps: number[];
  values: Array<number | null>;
}

/**
 * Merges several lines onto one shared, sorted x axis for uPlot (null where a line has no point).
 * @example alignSeries([{ steps: [0, 2], values: [1, 3] }, { steps: [1], values: [5] }]); // [[0,1,2],[1,null,3],[null,5,null]]
 */
export function alignSeries(lines: Line[]): uPlot.AlignedData {
  const xs = [...new Set(lines.flatMap((s) => s.steps))].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const ys = lines.map((s) => {
    const y: Array<number | null> = new Array(xs.length).fill(null);
    s.steps.forEach((step, i) => (y[index.get(step)!] = s.values[i] ?? null));
    return y;
  });
  return [xs, ...ys] as uPlot.AlignedData;
}
