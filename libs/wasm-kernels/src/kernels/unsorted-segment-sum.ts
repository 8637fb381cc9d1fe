import { UnsortedSegmentSum, util } from '@tensorflow/tfjs-core';
import type {
  KernelConfig,
  KernelFunc,
  TensorInfo,
  UnsortedSegmentSumAttrs,
  UnsortedSegmentSumInputs,
} from '@tensorflow/tfjs-core';
import { alloc } from '../wasm-backend.js';
import type { BackendWasm } from '../wasm-backend.js';

function run(args: {
  inputs: UnsortedSegmentSumInputs;
  backend: BackendWasm;
  attrs: UnsortedSegmentSumAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as TensorInfo; // [...segmentIds.shape, ...inner]
  const segmentIds = inputs.segmentIds as TensorInfo;
  const { numSegments } = attrs;
  const rows = util.sizeFromShape(segmentIds.shape);
  const innerShape = x.shape.slice(segmentIds.shape.length);
  const inner = util.sizeFromShape(innerShape);
  const out = alloc(backend, [numSegments, ...innerShape], x.dtype, true); // [numSegments, ...inner]
  const xs = backend.typedArrayFromHeap(x);
  const ids = backend.typedArrayFromHeap(segmentIds);
  const sums = backend.typedArrayFromHeap(out);
  for (let r = 0; r < rows; r++) {
    const s = ids[r];
    // Ids outside [0, numSegments) are dropped, as in TensorFlow.
    if (!(s >= 0 && s < numSegments)) continue;
    const from = r * inner;
    const to = s * inner;
    for (let j = 0; j < inner; j++) sums[to + j] += xs[from + j];
  }
  return out;
}

/**
 * `UnsortedSegmentSum` for wasm, which lacks it: the gradient of every gather, so of every
 * embedding layer. One pass over `x` adding each row into its segment (the cpu backend makes one
 * masked copy of `x` per segment, so a 1000-word vocabulary costs 1000 passes).
 */
export const unsortedSegmentSum: KernelConfig = {
  kernelName: UnsortedSegmentSum,
  backendName: 'wasm',
  kernelFunc: run as unknown as KernelFunc,
};
