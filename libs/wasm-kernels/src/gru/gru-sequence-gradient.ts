import { engine, zerosLike } from '@tensorflow/tfjs-core';
import type { GradConfig, NamedAttrMap, NamedTensorMap, Tensor } from '@tensorflow/tfjs-core';
import { GRU_SEQUENCE, GRU_SEQUENCE_GRAD } from './gru-contract.js';

/**
 * The gradient of `OmnitrainGruSequence`: one `OmnitrainGruSequenceGrad` call gives the gradients of
 * `x`, `h0`, `kernel` and `bias` together; the
 * mask gets none. Registered with the kernels by registerWasmTrainingKernels.
 *
 * @example tf.registerGradient(gruSequenceGradient);
 */
export const gruSequenceGradient: GradConfig = {
  kernelName: GRU_SEQUENCE,
  inputsToSave: ['h0', 'kernel', 'mask'],
  outputsToSave: [true],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const [h0, kernel, mask, out] = saved as [Tensor, Tensor, Tensor, Tensor];
    // Computed here, not in the per-input functions: tfjs runs each of those in its own tidy scope,
    // which would dispose the other three. Here they belong to the backward pass's scope, which
    // disposes the ones no input asked for.
    const [dx, dh0, dKernel, dBias] = engine().runKernel(GRU_SEQUENCE_GRAD, { dy: dy as Tensor, out, h0, kernel, mask } as unknown as NamedTensorMap, attrs) as Tensor[];
    return {
      x: () => dx!,
      h0: () => dh0!,
      kernel: () => dKernel!,
      bias: () => dBias!,
      mask: () => zerosLike(mask),
    };
  },
};
