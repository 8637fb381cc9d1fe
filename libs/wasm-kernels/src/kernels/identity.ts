import { Identity } from '@tensorflow/tfjs-core';
import type { IdentityInputs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { runShipped } from '../wasm-backend.js';
import type { BackendWasm } from '../wasm-backend.js';

function run(args: { inputs: IdentityInputs; backend: BackendWasm }): TensorInfo {
  const { inputs, backend } = args;
  const x = inputs.x as TensorInfo;
  if (x.dtype === 'string') return runShipped(Identity, backend, { x });
  // Tensors are immutable: share the data, as the shipped Reshape and the cpu backend's Identity do.
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

/**
 * `Identity` for wasm that shares the input's data (a reference count) instead of copying it, as
 * the cpu backend does: the gradient tape and the optimizers clone tensors many times per step
 * (31 copies of up to 4M floats per audio2d step).
 */
export const identity: KernelConfig = {
  kernelName: Identity,
  backendName: 'wasm',
  kernelFunc: run as unknown as KernelFunc,
};
