// The public door of @omnitrain/wasm-kernels: training kernels for the tfjs wasm backend.
export { registerWasmTrainingKernels, WASM_TRAINING_KERNELS } from './register-wasm-training-kernels.js';
export { TRAINING_KERNELS, missingKernels, assertKernels, explainKernelError } from './training-kernels.js';
export type { AssertKernelsOptions } from './training-kernels.js';
// --- the kernels, one per file ---
export { batchMatMul } from './kernels/batch-mat-mul.js';
export { cast } from './kernels/cast.js';
export { conv2dBackpropFilter, setConv2dBackpropFilterAlgorithm } from './kernels/conv2d-backprop-filter.js';
export { conv2dBackpropInput } from './kernels/conv2d-backprop-input.js';
export { depthwiseConv2dNativeBackpropFilter } from './kernels/depthwise-conv2d-native-backprop-filter.js';
export { depthwiseConv2dNativeBackpropInput } from './kernels/depthwise-conv2d-native-backprop-input.js';
export { einsum } from './kernels/einsum.js';
export { fusedMatMul } from './kernels/fused-mat-mul.js';
export { conv2d } from './kernels/conv2d.js';
export { fusedConv2d } from './kernels/fused-conv2d.js';
export { gatherV2 } from './kernels/gather-v2.js';
export { identity } from './kernels/identity.js';
export { slice } from './kernels/slice.js';
export { splitV } from './kernels/split-v.js';
export { sum } from './kernels/sum.js';
export { tanh } from './kernels/tanh.js';
export { transpose } from './kernels/transpose.js';
export { unpack } from './kernels/unpack.js';
export { maxPoolGrad } from './kernels/max-pool-grad.js';
export { unsortedSegmentSum } from './kernels/unsorted-segment-sum.js';
