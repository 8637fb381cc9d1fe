import { Slice, slice_util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, SliceAttrs, SliceInputs, TensorInfo } from '@tensorflow/tfjs-core';
import { sliceCopy } from '../slice-copy.js';
import { runShipped } from '../wasm-backend.js';
import type { BackendWasm } from '../wasm-backend.js';

function run(args: { inputs: SliceInputs; backend: BackendWasm; attrs: SliceAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as TensorInfo;
  if (x.dtype === 'string') return runShipped(Slice, backend, { x }, attrs as unknown as Record<string, never>);
  const [begin, size] = slice_util.parseSliceParams(x, attrs.begin, attrs.size);
  slice_util.assertParamsValid(x, begin, size);
  return sliceCopy(backend, x, begin, size);
}

/**
 * `Slice` for wasm without the shipped kernel's copy of the whole input per call (`readSync`):
 * copies only the slice, straight from the wasm heap. Gradients of `concat` and `split` are slices.
 */
export const slice: KernelConfig = {
  kernelName: Slice,
  backendName: 'wasm',
  kernelFunc: run as unknown as KernelFunc,
};
