import { engine, op } from '@tensorflow/tfjs-core';
import type { NamedAttrMap, NamedTensorMap, Tensor, Tensor1D } from '@tensorflow/tfjs-core';
import { requireKernel } from '../require-kernel.js';
import { LAYER_NORM } from './layer-norm-contract.js';

/** {@link fusedLayerNorm} before tfjs' op wrapper. */
function fusedLayerNorm_<T extends Tensor>(x: T, gamma: Tensor1D, beta: Tensor1D, epsilon = 1e-5): T {
  requireKernel('fusedLayerNorm', LAYER_NORM, 'layer norm as separate ops');
  return engine().runKernel(LAYER_NORM, { x, gamma, beta } as unknown as NamedTensorMap, { epsilon } as unknown as NamedAttrMap) as T;
}

/**
 * Layer normalization over the last axis, `(x - mean) / sqrt(var + epsilon) * gamma + beta`
 * (population variance, as PyTorch's `nn.LayerNorm` and `tf.moments`), as ONE kernel forward and one
 * backward (`OmnitrainLayerNorm`, `OmnitrainLayerNormGrad`, wasm + registerWasmTrainingKernels)
 * instead of ~10 and ~25 tfjs kernels. Throws a BackendError where the kernel is not registered.
 *
 * @param x [..., D] float32.
 * @param gamma [D] scale. @param beta [D] shift. @param epsilon default 1e-5.
 * @example
 * const h = fusedLayerNorm(tf.add(x, attention), gamma, beta); // differentiable in x, gamma, beta
 */
export const fusedLayerNorm = op({ fusedLayerNorm_ });
