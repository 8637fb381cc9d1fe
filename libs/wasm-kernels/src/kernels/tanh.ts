import { Tanh } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TanhInputs, TensorInfo } from '@tensorflow/tfjs-core';
import { alloc, dispose, f32, runShipped } from '../wasm-backend.js';
import type { BackendWasm } from '../wasm-backend.js';

/** Below this |x|, tanh comes from its Taylor series: 2 sigmoid(2x) - 1 cancels too many bits near 0. */
const SMALL = 0.125;

function run(args: { inputs: TanhInputs; backend: BackendWasm }): TensorInfo {
  const { inputs, backend } = args;
  const x = inputs.x as TensorInfo;
  if (x.dtype !== 'float32') return runShipped(Tanh, backend, { x });
  // tanh(x) = 2 sigmoid(2x) - 1, with the shipped Sigmoid (XNNPACK, vectorized): the shipped Tanh is
  // scalar libm, ~40x slower on a [2048, 256] GELU input.
  const twice = alloc(backend, x.shape, 'float32', false);
  {
    const src = f32(backend, x);
    const dst = f32(backend, twice);
    for (let i = 0; i < src.length; i++) dst[i] = 2 * src[i]!;
  }
  const out = runShipped('Sigmoid', backend, { x: twice });
  dispose(backend, twice);
  const src = f32(backend, x); // after the last allocation: heap growth detaches views
  const dst = f32(backend, out);
  for (let i = 0; i < src.length; i++) {
    // Branch-free (a branch on the sign-less magnitude mispredicts on random data: 2.5x slower).
    // Near 0: x - x^3/3 + 2x^5/15 - 17x^7/315, the next term < 2e-10 |x| there.
    const v = src[i]!;
    const s = v * v;
    const series = v * (1 + s * (-1 / 3 + s * (2 / 15 + s * (-17 / 315))));
    const viaSigmoid = 2 * dst[i]! - 1;
    dst[i] = s < SMALL * SMALL ? series : viaSigmoid;
  }
  return out;
}

/**
 * `Tanh` for wasm as `2 sigmoid(2x) - 1` through the shipped vectorized `Sigmoid` (a Taylor series
 * near 0, where that difference loses bits). The shipped `Tanh` runs scalar libm: ~20 ms for the
 * transformer's [2048, 256] GELU, a fifth of its training step.
 */
export const tanh: KernelConfig = {
  kernelName: Tanh,
  backendName: 'wasm',
  kernelFunc: run as unknown as KernelFunc,
};
