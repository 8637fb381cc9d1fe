import { beforeAll, describe, expect, it } from 'vitest';
import { ADAM_UPDATE, registerWasmTrainingKernels } from '@omnitrain/wasm-kernels';
import type { AdamUpdateAttrs as Attrs } from '@omnitrain/wasm-kernels';
import { SEED, below, onBackend, randn, randu, rng, setUpBackends, tf } from '../test/oracle.js';

beforeAll(() => setUpBackends(registerWasmTrainingKernels));

/** The op-by-op Adam step (torch 1.13 _single_tensor_adam, as @omnitrain/optim's rule): the oracle. */
function opByOp(p: tf.Tensor, g: tf.Tensor, slots: tf.Tensor[], a: Attrs): tf.Tensor[] {
  const [m0, v0, max0] = slots;
  const tm = tf.mul(g, 1 - a.beta1);
  const m = m0 === undefined ? tm : tf.add(tf.mul(m0, a.beta1), tm);
  const tv = tf.mul(tf.mul(g, 1 - a.beta2), g);
  const v = v0 === undefined ? tv : tf.add(tf.mul(v0, a.beta2), tv);
  const second = a.amsgrad && max0 !== undefined ? tf.maximum(max0, v) : v;
  const denom = tf.add(tf.div(tf.sqrt(second), a.correction2Sqrt), a.eps);
  const param = tf.add(p, tf.div(tf.mul(m, -a.stepSize), denom));
  return a.amsgrad ? [param, m, v, second] : [param, m, v];
}

describe('OmnitrainAdamUpdate on wasm', () => {
  it('equals the op-by-op rule (on wasm and on cpu) over sizes, first and later steps, AMSGrad', async () => {
    const failures: string[] = [];
    let worst = 0;
    for (let trial = 0; trial < 16; trial++) {
      // Sizes around the 4-lane blocks and a large one.
      const shape = trial === 0 ? [257, 129] : Array.from({ length: 1 + below(3) }, () => 1 + below(13));
      const amsgrad = trial % 3 === 0;
      const first = trial % 4 === 1;
      const step = first ? 1 : 2 + below(1000);
      const [beta1, beta2] = [0.5 + 0.49 * rng.float(), 0.9 + 0.0999 * rng.float()];
      const lr = 10 ** (-4 + 3 * rng.float());
      const attrs: Attrs = {
        beta1, beta2, eps: 10 ** (-9 + 3 * rng.float()), amsgrad,
        stepSize: lr / (1 - beta1 ** step), correction2Sqrt: Math.sqrt(1 - beta2 ** step),
      };
      const host = {
        param: randn(shape), grad: randn(shape).map((x) => x * 10 ** (-3 + 3 * rng.float())),
        expAvg: randn(shape).map((x) => x * 0.1), expAvgSq: randu(shape, 0, 0.1), maxExpAvgSq: randu(shape, 0, 0.12),
      };
      const names = first ? ['param', 'grad'] : amsgrad ? ['param', 'grad', 'expAvg', 'expAvgSq', 'maxExpAvgSq'] : ['param', 'grad', 'expAvg', 'expAvgSq'];
      const make = () => Object.fromEntries(names.map((k) => [k, tf.tensor(host[k as keyof typeof host], shape)]));
      const fused = await onBackend('wasm', () => tf.engine().runKernel(ADAM_UPDATE, make(), attrs as unknown as tf.NamedAttrMap) as tf.Tensor[]);
      const rule = () => {
        const t = make();
        return opByOp(t['param']!, t['grad']!, [t['expAvg'], t['expAvgSq'], t['maxExpAvgSq']].filter((x) => x !== undefined), attrs);
      };
      for (const backend of ['wasm', 'cpu'] as const) {
        const expected = await onBackend(backend, rule);
        if (fused.length !== expected.length) failures.push(`${shape}: ${fused.length} outputs, expected ${expected.length}`);
        expected.forEach((e, o) => {
          if (`${fused[o]!.shape}` !== `${e.shape}`) failures.push(`output ${o} shape ${fused[o]!.shape} vs ${e.shape}`);
          // Elementwise relative error (floor: the output's largest value times 1e-3).
          const want = Array.from(e.values);
          const got = fused[o]!.values;
          const scale = want.reduce((s, x) => Math.max(s, Math.abs(x)), 0) * 1e-3;
          const err = want.reduce((w, x, i) => Math.max(w, Math.abs(got[i]! - x) / Math.max(Math.abs(x), scale)), 0);
          worst = Math.max(worst, err);
          if (!(err <= 1e-6)) failures.push(`${backend} ${shape} first=${first} amsgrad=${amsgrad} output ${o}: error ${err}`);
        });
      }
    }
    expect(failures, `seed ${SEED}`).toEqual([]);
    expect(worst, `seed ${SEED}`).toBeLessThanOrEqual(1e-6);
  });

  it('names the input when a slot is missing or has another shape', async () => {
    await tf.setBackend('wasm');
    const attrs = { beta1: 0.9, beta2: 0.999, eps: 1e-8, stepSize: 1e-3, correction2Sqrt: 0.1, amsgrad: true };
    const p = tf.tensor(randn([3, 4]), [3, 4]);
    const g = tf.tensor(randn([3, 4]), [3, 4]);
    const small = tf.tensor(randn([4]), [4]);
    expect(() => tf.engine().runKernel(ADAM_UPDATE, { param: p, grad: g, expAvg: p, expAvgSq: p }, attrs)).toThrow(/maxExpAvgSq/);
    expect(() => tf.engine().runKernel(ADAM_UPDATE, { param: p, grad: small }, attrs)).toThrow(/grad float32 \[3,4\]/);
    tf.dispose([p, g, small]);
  });
});
