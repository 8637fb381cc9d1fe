import { describe, expect, it } from 'vitest';
import { medianPruner, parseSearchSpace, Study } from '@omnitrain/tune';

describe('median pruner', () => {
  it('prunes a trial worse than the median of completed trials at the same step (hand-computed)', async () => {
    // minimize, 2 startup trials. t0 [3,2,1], t1 [5,4,3] complete (too few completed before them).
    // t2: step1 medians(3,5)=4, 4 !> 4 go; step2 median(2,4)=3, 1 go; step3 median(1,3)=2, 2.5 > 2 pruned.
    // t3: step1 4.5 > 4 pruned.
    const curves = [[3, 2, 1], [5, 4, 3], [4, 1, 2.5], [4.5, 0, 0]];
    let i = 0;
    const study = new Study({ space: parseSearchSpace('i: { int: [0, 9] }'), sampler: { name: 'list', sample: () => ({ i: i++ }) }, pruner: medianPruner({ startupTrials: 2 }), direction: 'min' });
    const { trials } = await study.optimize(
      async (p, trial) => {
        const curve = curves[p['i'] as number]!;
        for (const [k, v] of curve.entries()) if (trial.report(k + 1, v)) return v;
        return curve.at(-1)!;
      },
      { trials: 4 },
    );
    expect(trials.map((t) => [t.state, t.intermediate.size])).toEqual([
      ['completed', 3],
      ['completed', 3],
      ['pruned', 3],
      ['pruned', 1],
    ]);
  });
});
