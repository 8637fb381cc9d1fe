import { describe, expect, it } from 'vitest';
import { inSpace, parseSearchSpace, randomSampler } from '@omnitrain/tune';

const space = parseSearchSpace('lr: { loguniform: [1.0e-4, 1] }\nu: { uniform: [-2, 3] }\nk: { int: [2, 14], step: 3 }\nc: { choice: [a, b, c, d] }');

/** Kolmogorov-Smirnov distance of `xs` from the uniform distribution on [lo, hi]. */
function ksUniform(xs: number[], lo: number, hi: number): number {
  const s = [...xs].sort((a, b) => a - b);
  let d = 0;
  s.forEach((x, i) => {
    const f = (x - lo) / (hi - lo);
    d = Math.max(d, Math.abs(f - i / s.length), Math.abs(f - (i + 1) / s.length));
  });
  return d;
}

describe('random sampler', () => {
  const draw = (seed: number, n: number) => {
    const s = randomSampler(seed);
    return Array.from({ length: n }, () => s.sample({ space, trials: [], direction: 'min' })!);
  };

  it('is reproducible from its seed and differs across seeds', () => {
    expect(draw(7, 20)).toEqual(draw(7, 20));
    expect(draw(7, 20)).not.toEqual(draw(8, 20));
  });

  it('stays in bounds and follows each distribution (KS / frequency tests, fixed seed)', () => {
    const n = 4000;
    const points = draw(123, n);
    for (const p of points) for (const [k, spec] of Object.entries(space)) expect(inSpace(spec, p[k])).toBe(true);
    const crit = 1.95 / Math.sqrt(n); // KS critical value at alpha = 0.001
    const logs = points.map((p) => Math.log10(p['lr'] as number));
    expect(ksUniform(logs, -4, 0)).toBeLessThan(crit);
    // A plain uniform draw on [1e-4, 1] would be far from log-uniform: the check can fail.
    const wrong = points.map((p) => Math.log10(Math.max(1e-4, (p['u'] as number + 2) / 5)));
    expect(ksUniform(wrong, -4, 0)).toBeGreaterThan(crit);
    expect(ksUniform(points.map((p) => p['u'] as number), -2, 3)).toBeLessThan(crit);
    for (const [key, values] of [['k', [2, 5, 8, 11, 14]], ['c', ['a', 'b', 'c', 'd']]] as const) {
      for (const v of values) {
        const f = points.filter((p) => p[key] === v).length / n;
        expect(Math.abs(f - 1 / values.length)).toBeLessThan(0.03);
      }
    }
  });
});
