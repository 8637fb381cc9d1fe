import { describe, expect, it } from 'vitest';
import { gridPoints, gridSampler, gridValues, parseSearchSpace, Study } from '@omnitrain/tune';

describe('grid sampler', () => {
  it('enumerates exactly the cartesian product', () => {
    const n = 2 + Math.floor(Math.random() * 3);
    const space = parseSearchSpace(`a: { choice: [x, y, z] }\nb: { int: [1, ${2 * n - 1}], step: 2 }\nc: { loguniform: [0.001, 0.1] }`);
    const bs = gridValues(space['b']!);
    expect(bs).toEqual(Array.from({ length: n }, (_, i) => 1 + 2 * i));
    expect(gridValues(space['c']!, 3)).toEqual([0.001, 0.01, 0.1]);
    const expected: string[] = [];
    for (const a of ['x', 'y', 'z']) for (const b of bs) for (const c of [0.001, 0.01, 0.1]) expected.push(JSON.stringify({ a, b, c }));
    const got = gridPoints(space, 3).map((p) => JSON.stringify(p));
    expect(new Set(got).size).toBe(got.length);
    expect([...got].sort()).toEqual([...expected].sort());
  });

  it('stops the study when the grid is exhausted', async () => {
    const space = parseSearchSpace('a: { choice: [1, 2, 3] }\nb: { choice: [true, false] }');
    const study = new Study({ space, sampler: gridSampler() });
    const { trials } = await study.optimize(async (p) => Number(p['a']), { trials: 50 });
    expect(trials).toHaveLength(6);
    expect(new Set(trials.map((t) => JSON.stringify(t.params))).size).toBe(6);
  });
});
