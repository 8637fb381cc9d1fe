import { Cast } from '@tensorflow/tfjs-core';
import type { CastAttrs, CastInputs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { runShipped } from '../wasm-backend.js';
import type { BackendWasm } from '../wasm-backend.js';

function run(args: { inputs: CastInputs; backend: BackendWasm; attrs: CastAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as TensorInfo;
  if (x.dtype !== attrs.dtype || x.dtype === 'string') return runShipped(Cast, backend, { x }, attrs as never);
  // A cast to its own dtype changes nothing: share the data (tensors are immutable), as Identity does.
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

/**
 * `Cast` for wasm that shares the data of a cast to the tensor's own dtype (a reference count) where
 * the shipped kernel copies it: every relu gradient casts its float32 `Step` mask to float32 (9 copies
 * of up to 4M floats per audio2d step). Casts between dtypes go to the shipped kernel.
 */
export const cast: KernelConfig = {
  kernelName: Cast,
  backendName: 'wasm',
  kernelFunc: run as unknown as KernelFunc,
};
