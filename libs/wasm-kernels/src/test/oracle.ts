// Test support: run one kernel or one training step on the cpu backend (the oracle) and on wasm
// with our kernels, on the same fresh random inputs, and measure how far apart they are.
// Test files import '@tensorflow/tfjs' (layers included); this file stays on the packages lib code
// may use, and both see the same tfjs-core.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { Rng } from '@omnitrain/core';

export { tf };

/** Fresh inputs every run; the seed goes into every failure message so a failure can be replayed. */
export const SEED = Number(process.env['WASM_KERNELS_SEED'] ?? Date.now() % 1_000_000_007);
export const rng = Rng.fromSeed(SEED);

/** Runs `register` (registerWasmTrainingKernels) and makes sure both backends are ready. */
export async function setUpBackends(register: () => unknown): Promise<void> {
  register();
  await tf.setBackend('wasm');
  await tf.setBackend('cpu');
}

/** Normal(0, 1) values. */
export function randn(shape: number[]): Float32Array {
  const v = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < v.length; i++) v[i] = rng.normal();
  return v;
}

/** Uniform values in [lo, hi): positive ones keep sums from cancelling, for scalar results. */
export function randu(shape: number[], lo: number, hi: number): Float32Array {
  const v = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < v.length; i++) v[i] = lo + (hi - lo) * rng.float();
  return v;
}

/** A [T, B] sequence mask: all 1, or when `padded` each row real up to a random length, some with holes. */
export function randomMask(T: number, B: number, padded: boolean): Float32Array {
  const m = new Float32Array(T * B).fill(1);
  if (!padded) return m;
  for (let b = 0; b < B; b++) {
    const length = rng.int(1, T);
    for (let t = length; t < T; t++) m[t * B + b] = 0;
    if (b % 3 === 2 && length > 2) m[rng.int(0, length - 1) * B + b] = 0;
  }
  return m;
}

/** An input to a kernel: its values (float32 unless an Int32Array) and shape. */
export interface HostTensor {
  values: Float32Array | Int32Array;
  shape: number[];
}

/** max |actual - expected| / max |expected|: the relative error the tests bound by 1e-5. */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Infinity;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i]! - expected[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  if (Number.isNaN(diff)) return Infinity;
  return scale === 0 ? diff : diff / scale;
}

/**
 * Max absolute error of each output over the largest |expected| value of all outputs together: for
 * gradients of one problem, where a tiny output (a 1x1 gradient that cancels to near zero) would make
 * its own relative error mostly float32 rounding. NaN or a length mismatch gives Infinity.
 */
export function errorsAgainstLargest(actual: ReadonlyArray<{ values: ArrayLike<number> }>, expected: ReadonlyArray<{ values: ArrayLike<number> }>): number[] {
  const scale = Math.max(0, ...expected.map((o) => Math.max(0, ...Array.from(o.values, Math.abs))));
  return expected.map(({ values: e }, i) => {
    const a = actual[i]?.values;
    if (!a || a.length !== e.length) return Infinity;
    const diff = Math.max(0, ...Array.from(e, (v, j) => Math.abs(a[j]! - v)));
    return Number.isNaN(diff) ? Infinity : diff / (scale || 1);
  });
}

/** Runs `fn` with `backend` active, returning the shapes and values of its outputs. */
export async function onBackend(
  backend: 'cpu' | 'wasm',
  fn: () => tf.Tensor | tf.Tensor[],
): Promise<Array<{ shape: number[]; values: Float32Array | Int32Array | Uint8Array }>> {
  await tf.setBackend(backend);
  const outs = tf.tidy(() => {
    const out = fn();
    return Array.isArray(out) ? out : [out];
  });
  // Read outside the tidy: tidy walks every element of typed arrays it returns looking for tensors.
  const read = outs.map((t) => ({ shape: t.shape, values: t.dataSync() as Float32Array }));
  tf.dispose(outs);
  return read;
}

/** Creates `t` on the active backend. */
export function toTensor(t: HostTensor): tf.Tensor {
  return tf.tensor(t.values, t.shape, t.values instanceof Int32Array ? 'int32' : 'float32');
}

/**
 * How the cpu backend computes the expected result when it cannot run the same problem (the cpu
 * depthwise gradients ignore dilations): other inputs and attrs, and a map from its output to the
 * expected one.
 */
export interface Oracle {
  inputs: Record<string, HostTensor>;
  attrs: Record<string, unknown>;
  expected(cpuValues: Float32Array, cpuShape: number[]): { values: Float32Array; shape: number[] };
}

/**
 * Runs kernel `name` on cpu and on wasm with the same inputs (or the cpu on `oracle`'s equivalent
 * problem); returns the relative error and the output shapes (which must match).
 */
export async function compareKernel(
  name: string,
  inputs: Record<string, HostTensor> | HostTensor[],
  attrs: Record<string, unknown>,
  oracle?: Oracle,
): Promise<{ error: number; cpuShape: number[]; wasmShape: number[] }> {
  const run = (ins: Record<string, HostTensor> | HostTensor[], at: Record<string, unknown>) => () => {
    const named = Array.isArray(ins)
      ? ins.map(toTensor)
      : Object.fromEntries(Object.entries(ins).map(([k, v]) => [k, toTensor(v)]));
    return tf.engine().runKernel(name, named as unknown as tf.NamedTensorMap, at as tf.NamedAttrMap) as tf.Tensor;
  };
  let [cpu] = await onBackend('cpu', run(oracle?.inputs ?? inputs, oracle?.attrs ?? attrs));
  if (oracle) cpu = oracle.expected(cpu!.values as Float32Array, cpu!.shape);
  const [wasm] = await onBackend('wasm', run(inputs, attrs));
  return { error: relativeError(wasm!.values, cpu!.values), cpuShape: cpu!.shape, wasmShape: wasm!.shape };
}

/** A uniform integer in [0, n). */
export function below(n: number): number {
  return rng.int(0, n - 1);
}
