import { getGradient, getKernel, registerGradient, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { BackendError } from '@omnitrain/core';
import { adamUpdate } from './kernels/adam-update.js';
import { batchMatMul } from './kernels/batch-mat-mul.js';
import { cast } from './kernels/cast.js';
import { conv2dBackpropFilter } from './kernels/conv2d-backprop-filter.js';
import { conv2dBackpropInput } from './kernels/conv2d-backprop-input.js';
import { depthwiseConv2dNativeBackpropFilter } from './kernels/depthwise-conv2d-native-backprop-filter.js';
import { depthwiseConv2dNativeBackpropInput } from './kernels/depthwise-conv2d-native-backprop-input.js';
import { einsum } from './kernels/einsum.js';
import { fusedMatMul } from './kernels/fused-mat-mul.js';
import { conv2d } from './kernels/conv2d.js';
import { fusedConv2d } from './kernels/fused-conv2d.js';
import { gatherV2 } from './kernels/gather-v2.js';
import { identity } from './kernels/identity.js';
import { maxPoolGrad } from './kernels/max-pool-grad.js';
import { slice } from './kernels/slice.js';
import { splitV } from './kernels/split-v.js';
import { sum } from './kernels/sum.js';
import { tanh } from './kernels/tanh.js';
import { transpose } from './kernels/transpose.js';
import { unpack } from './kernels/unpack.js';
import { unsortedSegmentSum } from './kernels/unsorted-segment-sum.js';
import { captureShippedKernel, shippedKernel } from './wasm-backend.js';
import { gelu } from './gelu/gelu.js';
import { meanGradient, sumGradient } from './gradients/reduce-gradients.js';
import { geluGrad } from './gelu/gelu-grad.js';
import { geluGradient } from './gelu/gelu-gradient.js';
import { gruSequence } from './gru/gru-sequence.js';
import { layerNorm } from './layer-norm/layer-norm.js';
import { layerNormGrad } from './layer-norm/layer-norm-grad.js';
import { layerNormGradient } from './layer-norm/layer-norm-gradient.js';
import { gruSequenceGrad } from './gru/gru-sequence-grad.js';
import { gruSequenceGradient } from './gru/gru-sequence-gradient.js';
import { lstmSequence } from './lstm/lstm-sequence.js';
import { lstmSequenceGrad } from './lstm/lstm-sequence-grad.js';
import { lstmSequenceGradient } from './lstm/lstm-sequence-gradient.js';

/** Every kernel this package registers for the wasm backend. */
export const WASM_TRAINING_KERNELS: readonly KernelConfig[] = [
  conv2dBackpropFilter,
  conv2dBackpropInput,
  depthwiseConv2dNativeBackpropFilter,
  depthwiseConv2dNativeBackpropInput,
  unsortedSegmentSum,
  maxPoolGrad,
  batchMatMul,
  fusedMatMul,
  conv2d,
  fusedConv2d,
  einsum,
  slice,
  splitV,
  unpack,
  sum,
  identity,
  cast,
  transpose,
  gatherV2,
  tanh,
  gruSequence,
  gruSequenceGrad,
  lstmSequence,
  lstmSequenceGrad,
  adamUpdate,
  gelu,
  geluGrad,
  layerNorm,
  layerNormGrad,
];

/** The shipped wasm kernels ours are built from or replace: captured before any is replaced. */
const BUILDING_BLOCKS = ['BatchMatMul', '_FusedMatMul', 'FusedConv2D', 'Conv2D', 'Conv2DBackpropInput', 'MaxPoolGrad', 'Transpose', 'Sum', 'Identity', 'Cast', 'Slice', 'SplitV', 'Unpack', 'GatherV2', 'Tanh', 'Sigmoid'];

/**
 * Registers, for the tfjs `wasm` backend, the training kernels it lacks (`Conv2DBackpropFilter`,
 * the depthwise gradients, `UnsortedSegmentSum`, `Einsum`) and replaces the ones it runs slowly
 * (`BatchMatMul` with transposed operands, `Conv2DBackpropInput`) or wrongly (`MaxPoolGrad`), and
 * adds the fused GRU and LSTM (`OmnitrainGruSequence`, `OmnitrainLstmSequence` + their gradients; see
 * fusedGruSequence, fusedLstmSequence) the fused Adam update (`OmnitrainAdamUpdate`, used by
 * @omnitrain/optim's Adam / AdamW) the fused GELU and layer norm (`OmnitrainGelu`,
 * `OmnitrainLayerNorm` + their gradients; see fusedGelu, fusedLayerNorm).
 * Idempotent; call it before or after `tf.setBackend('wasm')`, after importing
 * `@tensorflow/tfjs-backend-wasm` (else it throws a `BackendError`). Returns the names of the kernels it registered.
 *
 * @example
 * import '@tensorflow/tfjs-backend-wasm';
 * registerWasmTrainingKernels();
 * await tf.setBackend('wasm'); // conv nets and embeddings now train without a cpu fallback
 */
export function registerWasmTrainingKernels(): string[] {
  if (getKernel('BatchMatMul', 'wasm') === undefined) {
    throw new BackendError({
      op: 'registerWasmTrainingKernels',
      expected: "the tfjs wasm backend's own kernels to be registered",
      received: 'no wasm kernels',
      hint: "import '@tensorflow/tfjs-backend-wasm' first (initBackend does)",
    });
  }
  for (const name of BUILDING_BLOCKS) captureShippedKernel(name);
  for (const config of WASM_TRAINING_KERNELS) {
    const current = getKernel(config.kernelName, 'wasm');
    if (current?.kernelFunc === config.kernelFunc) continue;
    // Unregister first: registerKernel warns on a name already taken.
    if (current !== undefined) unregisterKernel(config.kernelName, 'wasm');
    // Keep the shipped kernel's setup (its cwrap): other shipped kernels call its internals
    // directly (Sum and Mean transpose through Transpose's), so it must run when wasm initializes.
    const setupFunc = config.setupFunc ?? shippedKernel(config.kernelName)?.setupFunc;
    registerKernel(setupFunc === undefined ? config : { ...config, setupFunc });
  }
  // The fused GRU's, LSTM's, GELU's and layer norm's gradients are backend-independent (they call the ...Grad kernels).
  for (const gradient of [gruSequenceGradient, lstmSequenceGradient, geluGradient, layerNormGradient]) {
    if (getGradient(gradient.kernelName) === undefined) registerGradient(gradient);
  }
  // Sum's and Mean's gradients replace tfjs-core's: the same operations, with the ones made by the
  // backend's Fill instead of a JS array copied into the heap (global, as gradients are).
  for (const gradient of [sumGradient, meanGradient]) {
    if (getGradient(gradient.kernelName) !== gradient) registerGradient(gradient);
  }
  return WASM_TRAINING_KERNELS.map((k) => k.kernelName);
}
