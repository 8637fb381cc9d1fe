import type { ParamSpec, Params, SearchSpace } from './search-space.js';
import type { SampleContext, Sampler } from './sampler.js';

/** Options of {@link gridSampler}. */
export interface GridSamplerOptions {
  /** Points per continuous (uniform: evenly, loguniform: log-evenly spaced, ends included). Default 3. */
  points?: number;
}

/**
 * The grid values of one parameter: every choice, every integer on the step grid, `points`
 * spaced values of a continuous range.
 *
 * @example
 * gridValues({ loguniform: [1e-3, 1e-1] }, 3); // [0.001, 0.01, 0.1]
 */
export function gridValues(spec: ParamSpec, points = 3): Array<number | string | boolean> {
  if ('choice' in spec) return [...spec.choice];
  if ('int' in spec) {
    const out: number[] = [];
    for (let v = spec.int[0]; v <= spec.int[1]; v += spec.step) out.push(v);
    return out;
  }
  const log = 'loguniform' in spec;
  const [lo, hi] = (log ? spec.loguniform.map(Math.log) : spec.uniform) as [number, number];
  if (points <= 1) return [log ? Math.exp((lo + hi) / 2) : (lo + hi) / 2];
  return Array.from({ length: points }, (_, i) => {
    const x = lo + ((hi - lo) * i) / (points - 1);
    return log ? Number(Math.exp(x).toPrecision(12)) : x;
  });
}

/**
 * Every point of the space's grid (the cartesian product), first parameter varying slowest.
 *
 * @example
 * gridPoints({ a: { choice: [1, 2] }, b: { choice: ['x', 'y'] } }).length; // 4
 */
export function gridPoints(space: SearchSpace, points = 3): Params[] {
  let out: Params[] = [{}];
  for (const [path, spec] of Object.entries(space)) {
    const values = gridValues(spec, points);
    out = out.flatMap((p) => values.map((v) => ({ ...p, [path]: v })));
  }
  return out;
}

/**
 * Grid search: proposes the grid's points in order, skipping those already tried (a resumed
 * study), and returns undefined when the grid is exhausted.
 *
 * @example
 * const sampler = gridSampler({ points: 4 });
 */
export function gridSampler(options: GridSamplerOptions = {}): Sampler {
  let grid: Params[] | undefined;
  return {
    name: 'grid',
    sample({ space, trials }: SampleContext): Params | undefined {
      grid ??= gridPoints(space, options.points ?? 3);
      const seen = new Set(trials.map((t) => key(t.params)));
      return grid.find((p) => !seen.has(key(p)));
    },
  };
}

function key(p: Params): string {
  return JSON.stringify(Object.keys(p).sort().map((k) => [k, p[k]]));
}
