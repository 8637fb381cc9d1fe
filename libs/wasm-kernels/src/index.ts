// The public door of @omnitrain/wasm-kernels: training kernels for the tfjs wasm backend.
export { registerWasmTrainingKernels, WASM_TRAINING_KERNELS } from './register-wasm-training-kernels.js';
export { TRAINING_KERNELS, missingKernels, assertKernels, explainKernelError } from './training-kernels.js';
export type { AssertKernelsOptions } from './training-kernels.js';
// --- the kernels, one per file ---
export { ADAM_UPDATE, adamUpdate } from './kernels/adam-update.js';
export type { AdamUpdateAttrs } from './kernels/adam-update.js';
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
// --- Sum's and Mean's gradients with the ones made in the backend (registered over tfjs-core's) ---
export { meanGradient, sumGradient } from './gradients/reduce-gradients.js';
// --- the fused GELU: one kernel each way instead of ~9 and ~15 element-wise ones ---
export { GELU, GELU_GRAD } from './gelu/gelu-contract.js';
export { fusedGelu } from './gelu/fused-gelu.js';
export { gelu } from './gelu/gelu.js';
export { geluGrad } from './gelu/gelu-grad.js';
export { geluGradient } from './gelu/gelu-gradient.js';
// --- the fused layer norm: one kernel each way instead of ~10 and ~25 ---
export { LAYER_NORM, LAYER_NORM_GRAD } from './layer-norm/layer-norm-contract.js';
export type { LayerNormAttrs } from './layer-norm/layer-norm-contract.js';
export { fusedLayerNorm } from './layer-norm/fused-layer-norm.js';
export { layerNorm } from './layer-norm/layer-norm.js';
export { layerNormGrad } from './layer-norm/layer-norm-grad.js';
export { layerNormGradient } from './layer-norm/layer-norm-gradient.js';
// --- the fused GRU and LSTM: one kernel call per layer and pass instead of ~15 per time step ---
export { GRU_SEQUENCE, GRU_SEQUENCE_GRAD } from './gru/gru-contract.js';
export type { GruSequenceAttrs } from './gru/gru-contract.js';
export { fusedGruSequence } from './gru/fused-gru-sequence.js';
export type { FusedGruInputs } from './gru/fused-gru-sequence.js';
export { gruSequence } from './gru/gru-sequence.js';
export { gruSequenceGrad } from './gru/gru-sequence-grad.js';
export { gruSequenceGradient } from './gru/gru-sequence-gradient.js';
export { LSTM_SEQUENCE, LSTM_SEQUENCE_GRAD } from './lstm/lstm-contract.js';
export type { LstmSequenceAttrs } from './lstm/lstm-contract.js';
export { fusedLstmSequence } from './lstm/fused-lstm-sequence.js';
export type { FusedLstmInputs } from './lstm/fused-lstm-sequence.js';
export { lstmSequence } from './lstm/lstm-sequence.js';
export { lstmSequenceGrad } from './lstm/lstm-sequence-grad.js';
export { lstmSequenceGradient } from './lstm/lstm-sequence-gradient.js';
