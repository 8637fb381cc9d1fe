import { BackendError } from '@omnitrain/core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { util } from '@tensorflow/tfjs-core';
import { adamWasmBase64 } from '../generated/adam-wasm.js';
import { checkFloat32 } from '../gru/gru-contract.js';
import { heapOffset, simdModule } from '../simd-module.js';
import { alloc } from '../wasm-backend.js';
import type { BackendWasm } from '../wasm-backend.js';

/**
 * Kernel name of the fused Adam update. @omnitrain/optim (which may not import this package) runs
 * its Adam / AdamW rule through it by this name when the active backend has it, so the name, inputs,
 * attributes and outputs below are public API: change them only together with optim's `adam.ts`.
 */
export const ADAM_UPDATE = 'OmnitrainAdamUpdate';

/** Attributes of {@link ADAM_UPDATE}: the step's scalars, as optim's op-by-op rule uses them. */
export interface AdamUpdateAttrs {
  /** Decay of the gradient average. */
  beta1: number;
  /** Decay of the squared-gradient average. */
  beta2: number;
  /** Added to the denominator. */
  eps: number;
  /** lr / (1 - beta1^step). */
  stepSize: number;
  /** sqrt(1 - beta2^step). */
  correction2Sqrt: number;
  /** Keep and use the running maximum of the squared-gradient average. */
  amsgrad: boolean;
}

interface AdamExports {
  adamUpdate(
    param: number, grad: number, m: number, v: number, vmax: number,
    paramOut: number, mOut: number, vOut: number, vmaxOut: number,
    n: number, first: boolean, amsgrad: boolean,
    b1: number, oneMinusB1: number, b2: number, oneMinusB2: number, c2: number, eps: number, negStepSize: number,
  ): void;
}

function run(args: { inputs: Record<string, TensorInfo | undefined>; backend: BackendWasm; attrs: AdamUpdateAttrs }): TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const param = inputs['param'];
  if (param === undefined) throw new BackendError({ op: ADAM_UPDATE, expected: 'an input "param"', received: 'none' });
  const { shape } = param;
  const first = inputs['expAvg'] === undefined;
  const slots = first ? [] : attrs.amsgrad ? ['expAvg', 'expAvgSq', 'maxExpAvgSq'] : ['expAvg', 'expAvgSq'];
  checkFloat32(ADAM_UPDATE, inputs, Object.fromEntries(['param', 'grad', ...slots].map((k) => [k, shape])));
  const out = Array.from({ length: attrs.amsgrad ? 4 : 3 }, () => alloc(backend, shape, 'float32', false));
  const at = (k: string): number => (first || (k === 'maxExpAvgSq' && !attrs.amsgrad) ? 0 : heapOffset(backend, inputs[k]!));
  const { adamUpdate } = simdModule<AdamExports>(backend, adamWasmBase64);
  const { beta1, beta2 } = attrs;
  adamUpdate(
    heapOffset(backend, param), heapOffset(backend, inputs['grad']!), at('expAvg'), at('expAvgSq'), at('maxExpAvgSq'),
    heapOffset(backend, out[0]!), heapOffset(backend, out[1]!), heapOffset(backend, out[2]!), attrs.amsgrad ? heapOffset(backend, out[3]!) : 0,
    util.sizeFromShape(shape), first, attrs.amsgrad,
    // The scalars exactly as the op-by-op rule's scalar tensors hold them (float64 -> float32 here).
    beta1, 1 - beta1, beta2, 1 - beta2, attrs.correction2Sqrt, attrs.eps, -attrs.stepSize,
  );
  return out;
}

/**
 * `OmnitrainAdamUpdate` for wasm: one Adam (or AMSGrad) update of one parameter in a single
 * WebAssembly SIMD pass (assembly/adam.ts), bit-identical to @omnitrain/optim's op-by-op rule
 * (torch 1.13's `_single_tensor_adam`), which takes ~10 element-wise kernels and as many passes over
 * memory. Inputs `param`, `grad` and, after the first step, `expAvg`, `expAvgSq` (+ `maxExpAvgSq`
 * under AMSGrad), all float32 of one shape; attributes {@link AdamUpdateAttrs}; outputs the new
 * `[param, expAvg, expAvgSq(, maxExpAvgSq)]`.
 *
 * @example
 * const [p, m, v] = tf.engine().runKernel(ADAM_UPDATE, { param, grad, expAvg, expAvgSq },
 *   { beta1: 0.9, beta2: 0.999, eps: 1e-8, stepSize, correction2Sqrt, amsgrad: false }) as tf.Tensor[];
 */
export const adamUpdate: KernelConfig = {
  kernelName: ADAM_UPDATE,
  backendName: 'wasm',
  kernelFunc: run as unknown as KernelFunc,
};
