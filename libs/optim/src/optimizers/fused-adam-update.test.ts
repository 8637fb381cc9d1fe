import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '@omnitrain/core';
import { FUSED_ADAM_KERNEL, adam, adamw } from '@omnitrain/optim';
import type { Optimizer } from '@omnitrain/optim';

// The fused path's contract, from optim's side: when the active backend has a kernel named
// OmnitrainAdamUpdate (wasm with @omnitrain/wasm-kernels; here a float32 JS twin on cpu, written from
// the contract), Adam and AdamW run one call of it per parameter and step, with the inputs and
// attributes of the contract, and follow the op-by-op trajectory. The wasm kernel itself is tested
// against the op-by-op rule in libs/wasm-kernels (adam-update.test.ts).
const SEED = Date.now() % 1_000_000_007;
const rng = Rng.fromSeed(SEED);
const f = Math.fround;
const calls: Array<{ inputs: string[]; attrs: Record<string, unknown> }> = [];

function twin({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: tf.NamedAttrMap }) {
  const be = backend as { readSync(id: object): Float32Array; makeTensorInfo(shape: number[], dtype: string, values: Float32Array): tf.TensorInfo };
  const a = attrs as unknown as { beta1: number; beta2: number; eps: number; stepSize: number; correction2Sqrt: number; amsgrad: boolean };
  calls.push({ inputs: Object.keys(inputs).sort(), attrs: { ...attrs } });
  const read = (k: string) => (inputs[k] ? be.readSync(inputs[k]!.dataId) : undefined);
  const [p, g, m0, v0, max0] = ['param', 'grad', 'expAvg', 'expAvgSq', 'maxExpAvgSq'].map(read);
  const n = p!.length;
  const [po, mo, vo, xo] = [0, 1, 2, 3].map(() => new Float32Array(n));
  for (let i = 0; i < n; i++) {
    const tm = f(g![i]! * f(1 - a.beta1));
    const m = m0 ? f(f(m0[i]! * f(a.beta1)) + tm) : tm;
    const tv = f(f(g![i]! * f(1 - a.beta2)) * g![i]!);
    const v = v0 ? f(f(v0[i]! * f(a.beta2)) + tv) : tv;
    const s = a.amsgrad && max0 ? Math.max(max0[i]!, v) : v;
    const denom = f(f(f(Math.sqrt(s)) / f(a.correction2Sqrt)) + f(a.eps));
    po[i] = f(p![i]! + f(f(m * f(-a.stepSize)) / denom));
    [mo[i], vo[i], xo[i]] = [m, v, s];
  }
  const shape = inputs['param']!.shape;
  return (a.amsgrad ? [po, mo, vo, xo] : [po, mo, vo]).map((d) => be.makeTensorInfo(shape, 'float32', d!));
}

function trajectory(make: (p: Record<string, tf.Variable>) => Optimizer, init: Float32Array[], grads: Float32Array[][]): Float32Array[] {
  const params = { w: tf.variable(tf.tensor2d(init[0]!, [3, 5])), b: tf.variable(tf.tensor1d(init[1]!)) };
  const opt = make(params);
  for (const [gw, gb] of grads) {
    const g = { w: tf.tensor2d(gw!, [3, 5]), b: tf.tensor1d(gb!) };
    opt.applyGradients(g);
    tf.dispose(Object.values(g));
  }
  const out = [params.w.dataSync() as Float32Array, params.b.dataSync() as Float32Array];
  opt.dispose();
  tf.dispose(Object.values(params));
  return out;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterEach(() => {
  if (tf.getKernel(FUSED_ADAM_KERNEL, 'cpu') !== undefined) tf.unregisterKernel(FUSED_ADAM_KERNEL, 'cpu');
  calls.length = 0;
});

describe('Adam / AdamW through the fused kernel', () => {
  it.each([
    ['adam', (p: Record<string, tf.Variable>) => adam(p, { lr: 3e-3 })],
    ['adam amsgrad + coupled decay', (p: Record<string, tf.Variable>) => adam(p, { lr: 1e-2, amsgrad: true, weightDecay: 0.1 })],
    ['adamw', (p: Record<string, tf.Variable>) => adamw(p, { lr: 1e-2, beta1: 0.8, eps: 1e-6 })],
  ] as const)('%s: one kernel call per parameter and step, the op-by-op trajectory', (_, make) => {
    const normal = (n: number, s = 1) => Float32Array.from({ length: n }, () => s * rng.normal());
    const init = [normal(15), normal(5)];
    const steps = 12;
    const grads = Array.from({ length: steps }, () => [normal(15, 0.1), normal(5, 0.1)]);
    const expected = trajectory(make, init, grads);
    expect(calls).toEqual([]);
    tf.registerKernel({ kernelName: FUSED_ADAM_KERNEL, backendName: 'cpu', kernelFunc: twin as unknown as tf.KernelFunc });
    const fused = trajectory(make, init, grads);
    expect(calls.length).toBe(2 * steps);
    const amsgrad = (calls[0]!.attrs as { amsgrad: boolean }).amsgrad;
    expect(calls[0]!.inputs).toEqual(['grad', 'param']);
    expect(calls[calls.length - 1]!.inputs).toEqual(amsgrad ? ['expAvg', 'expAvgSq', 'grad', 'maxExpAvgSq', 'param'] : ['expAvg', 'expAvgSq', 'grad', 'param']);
    let err = 0;
    fused.forEach((t, k) => t.forEach((x, i) => (err = Math.max(err, Math.abs(x - expected[k]![i]!) / Math.max(Math.abs(expected[k]![i]!), 1e-3)))));
    expect(err, `seed ${SEED}`).toBeLessThanOrEqual(1e-6);
  });
});
