import { Unpack, util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo, UnpackAttrs, UnpackInputs } from '@tensorflow/tfjs-core';
import { sliceCopy } from '../slice-copy.js';
import { runShipped } from '../wasm-backend.js';
import type { BackendWasm } from '../wasm-backend.js';

function run(args: { inputs: UnpackInputs; backend: BackendWasm; attrs: UnpackAttrs }): TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const x = inputs.value as TensorInfo;
  if (x.dtype === 'string') return runShipped(Unpack, backend, { value: x }, attrs as unknown as Record<string, never>) as unknown as TensorInfo[];
  const axis = util.parseAxisParam(attrs.axis, x.shape)[0]!;
  const outShape = x.shape.filter((_, d) => d !== axis);
  const begin = new Array<number>(x.shape.length).fill(0);
  const size = x.shape.slice();
  size[axis] = 1;
  const outs: TensorInfo[] = [];
  for (let i = 0; i < x.shape[axis]!; i++) {
    begin[axis] = i;
    const part = sliceCopy(backend, x, begin, size);
    outs.push({ dataId: part.dataId, shape: outShape, dtype: part.dtype });
  }
  return outs;
}

/**
 * `Unpack` (`tf.unstack`) for wasm: each slice copied straight from the wasm heap. The shipped
 * kernel copies the whole input out of the heap once per slice: unstacking the 32 time steps of a
 * [32, 64, 192] GRU input took 600 ms.
 */
export const unpack: KernelConfig = {
  kernelName: Unpack,
  backendName: 'wasm',
  kernelFunc: run as unknown as KernelFunc,
};
