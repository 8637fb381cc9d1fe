import { describe, expect, it } from 'vitest';
import { parseSearchSpace, rungSteps, Study, successiveHalvingPruner } from '@omnitrain/tune';
import type { Sampler } from '@omnitrain/tune';

/** Proposes trial i's curve index, in order. */
function listSampler(): Sampler {
  let i = 0;
  return { name: 'list', sample: () => ({ i: i++ }) };
}

const space = parseSearchSpace('i: { int: [0, 100] }');

async function runCurves(curves: number[][], eta: number, direction: 'min' | 'max') {
  const study = new Study({ space, sampler: listSampler(), pruner: successiveHalvingPruner({ minResource: 1, reductionFactor: eta }), direction });
  return study.optimize(
    async (p, trial) => {
      const curve = curves[p['i'] as number]!;
      for (const [k, v] of curve.entries()) if (trial.report(k + 1, v)) return v;
      return curve.at(-1)!;
    },
    { trials: curves.length },
  );
}

describe('successive halving (ASHA) pruner', () => {
  it('rungs sit at minResource * eta^k', () => {
    expect(rungSteps(30, { minResource: 1, reductionFactor: 3 })).toEqual([1, 3, 9, 27]);
    expect(rungSteps(20, { minResource: 2, reductionFactor: 2, minEarlyStoppingRate: 1 })).toEqual([4, 8, 16]);
  });

  it('promotes the top 1/eta at each rung: a hand-computed schedule', async () => {
    // eta = 2, rungs at steps 1, 2, 4, maximize.
    // t0 step1 [0.5] -> best -> go; step2 [0.6] -> go; step4 [0.8] -> go: completed.
    // t1 step1 [0.5, 0.4]: top floor(2/2)=1 is 0.5 -> 0.4 pruned at step 1.
    // t2 step1 [.6,.5,.4] -> top 1 is .6 -> go; step2 [.7,.6] -> go; step4 [.9,.8] -> go: completed.
    // t3 step1 [.6,.55,.5,.4] -> top 2 -> .55 goes; step2 [.7,.6,.58] -> top 1 is .7 -> pruned at step 2.
    const { trials, best } = await runCurves(
      [
        [0.5, 0.6, 0.7, 0.8],
        [0.4, 0.5, 0.6, 0.7],
        [0.6, 0.7, 0.8, 0.9],
        [0.55, 0.58, 0.6, 0.62],
      ],
      2,
      'max',
    );
    expect(trials.map((t) => [t.state, t.intermediate.size])).toEqual([
      ['completed', 4],
      ['pruned', 1],
      ['completed', 4],
      ['pruned', 2],
    ]);
    expect(best?.id).toBe('t0002');
    expect(trials[3]!.value).toBe(0.58);
  });

  it('minimizing mirrors maximizing on negated curves (random curves)', async () => {
    const curves = Array.from({ length: 9 }, () => Array.from({ length: 9 }, () => Math.random()));
    const up = await runCurves(curves, 3, 'max');
    const down = await runCurves(curves.map((c) => c.map((v) => -v)), 3, 'min');
    expect(down.trials.map((t) => [t.state, t.intermediate.size])).toEqual(up.trials.map((t) => [t.state, t.intermediate.size]));
    // The first trial is alone at every rung, so it always completes; a trial is pruned at
    // rung 1 exactly when its step-1 value is below the top floor(n/3) of those seen so far.
    expect(up.trials[0]!.state).toBe('completed');
    const seen: number[] = [];
    for (const [i, t] of up.trials.entries()) {
      seen.push(curves[i]![0]!);
      const sorted = [...seen].sort((a, b) => b - a);
      const threshold = sorted[Math.max(0, Math.floor(seen.length / 3) - 1)]!;
      expect(t.state === 'pruned' && t.intermediate.size === 1).toBe(curves[i]![0]! < threshold);
    }
  });
});
