import { describe, expect, it } from 'vitest';
import { inSpace, parseSearchSpace, randomSampler, Study, tpeSampler } from '@omnitrain/tune';
import type { Params, Sampler } from '@omnitrain/tune';

// A shifted quadratic with a categorical term and a log-scale term; minimum 0 at
// x = 1.3, y = -0.7, c = 'b', lr = 0.01.
const space = parseSearchSpace('x: { uniform: [-5, 5] }\ny: { uniform: [-5, 5] }\nc: { choice: [a, b, c, d] }\nlr: { loguniform: [1.0e-5, 1] }\nk: { int: [1, 9], step: 2 }');
const f = (p: Params) =>
  ((p['x'] as number) - 1.3) ** 2 + ((p['y'] as number) + 0.7) ** 2 + (p['c'] === 'b' ? 0 : 2) + 0.5 * (Math.log10(p['lr'] as number) + 2) ** 2;

/** Evaluations until f < target (capped at `cap`), and the best value after `cap`. */
async function run(sampler: Sampler, cap: number, target: number) {
  const study = new Study({ space, sampler, direction: 'min' });
  const { trials, best } = await study.optimize(async (p) => f(p), { trials: cap });
  const hit = trials.findIndex((t) => t.value! < target);
  return { evals: hit === -1 ? cap : hit + 1, best: best!.value! };
}

describe('TPE sampler', () => {
  it('finds the minimum of a known function in fewer evaluations than random search, on average over seeds', async () => {
    const seeds = Array.from({ length: 6 }, (_, i) => 1000 * i + 17);
    const cap = 80;
    const target = 1;
    const tpe = await Promise.all(seeds.map((s) => run(tpeSampler({ seed: s }), cap, target)));
    const rnd = await Promise.all(seeds.map((s) => run(randomSampler(s), cap, target)));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(tpe.map((r) => r.evals))).toBeLessThan(mean(rnd.map((r) => r.evals)));
    expect(mean(tpe.map((r) => r.best))).toBeLessThan(mean(rnd.map((r) => r.best)));
  });

  it('maximizes too: the proposals move towards the good region', async () => {
    const study = new Study({ space, sampler: tpeSampler({ seed: 5 }), direction: 'max' });
    const { trials } = await study.optimize(async (p) => -f(p), { trials: 50 });
    // Uniform x on [-5, 5] has E|x - 1.3| = 2.7; TPE's late proposals concentrate near 1.3.
    for (const t of trials) for (const [key, spec] of Object.entries(space)) expect(inSpace(spec, t.params[key])).toBe(true);
    const late = trials.slice(30).map((t) => Math.abs((t.params['x'] as number) - 1.3));
    expect(late.reduce((a, b) => a + b, 0) / late.length).toBeLessThan(1.2);
  });
});
