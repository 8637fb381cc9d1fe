import { backend_util, SplitV, util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, SplitVAttrs, SplitVInputs, TensorInfo } from '@tensorflow/tfjs-core';
import { sliceCopy } from '../slice-copy.js';
import { runShipped } from '../wasm-backend.js';
import type { BackendWasm } from '../wasm-backend.js';

function run(args: { inputs: SplitVInputs; backend: BackendWasm; attrs: SplitVAttrs }): TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as TensorInfo;
  if (x.dtype === 'string') return runShipped(SplitV, backend, { x }, attrs as unknown as Record<string, never>) as unknown as TensorInfo[];
  const axis = util.parseAxisParam(attrs.axis, x.shape)[0]!;
  const sizes = backend_util.prepareSplitSize(x, attrs.numOrSizeSplits, axis);
  const begin = new Array<number>(x.shape.length).fill(0);
  return sizes.map((s) => {
    const size = x.shape.slice();
    size[axis] = s;
    const part = sliceCopy(backend, x, begin, size);
    begin[axis]! += s;
    return part;
  });
}

/**
 * `SplitV` (`tf.split`) for wasm: each part copied straight from the wasm heap. The shipped kernel
 * copies the whole input out of the heap once per part (a GRU step splits its gates 2x per step).
 */
export const splitV: KernelConfig = {
  kernelName: SplitV,
  backendName: 'wasm',
  kernelFunc: run as unknown as KernelFunc,
};
