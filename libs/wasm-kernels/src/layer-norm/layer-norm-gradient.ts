import { engine } from '@tensorflow/tfjs-core';
import type { GradConfig, NamedAttrMap, NamedTensorMap, Tensor } from '@tensorflow/tfjs-core';
import { LAYER_NORM, LAYER_NORM_GRAD } from './layer-norm-contract.js';

/**
 * The gradient of `OmnitrainLayerNorm`: one `OmnitrainLayerNormGrad` call gives those of `x`, `gamma`
 * and `beta` together. Registered with the kernels by registerWasmTrainingKernels.
 *
 * @example tf.registerGradient(layerNormGradient);
 */
export const layerNormGradient: GradConfig = {
  kernelName: LAYER_NORM,
  inputsToSave: ['x', 'gamma'],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const [x, gamma] = saved as [Tensor, Tensor];
    // Computed here, not in the per-input functions (each runs in its own tidy scope; see the GRU's).
    const [dx, dgamma, dbeta] = engine().runKernel(LAYER_NORM_GRAD, { x, gamma, dy: dy as Tensor } as unknown as NamedTensorMap, attrs) as Tensor[];
    return { x: () => dx!, gamma: () => dgamma!, beta: () => dbeta! };
  },
};
