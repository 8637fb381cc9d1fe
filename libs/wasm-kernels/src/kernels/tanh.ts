import { Tanh, util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TanhInputs, TensorInfo } from '@tensorflow/tfjs-core';
import { alloc, runShipped } from '../wasm-backend.js';
import { heapOffset, simdModule } from '../simd-module.js';
import { tanhWasmBase64 } from '../generated/tanh-wasm.js';
import type { BackendWasm } from '../wasm-backend.js';

interface TanhExports {
  tanh(x: number, out: number, n: number): void;
}

function run(args: { inputs: TanhInputs; backend: BackendWasm }): TensorInfo {
  const { inputs, backend } = args;
  const x = inputs.x as TensorInfo;
  if (x.dtype !== 'float32') return runShipped(Tanh, backend, { x });
  const out = alloc(backend, x.shape, 'float32', false);
  const { tanh: simdTanh } = simdModule<TanhExports>(backend, tanhWasmBase64);
  simdTanh(heapOffset(backend, x), heapOffset(backend, out), util.sizeFromShape(x.shape));
  return out;
}

/**
 * `Tanh` for wasm in WebAssembly SIMD (assembly/tanh.ts: Eigen's float rational approximation, a few
 * ulp). The shipped `Tanh` runs scalar libm: ~20 ms for the transformer's [2048, 256] GELU, a fifth of
 * its training step; the former `2 sigmoid(2x) - 1` through the shipped `Sigmoid` took a third of that.
 */
export const tanh: KernelConfig = {
  kernelName: Tanh,
  backendName: 'wasm',
  kernelFunc: run as unknown as KernelFunc,
};
