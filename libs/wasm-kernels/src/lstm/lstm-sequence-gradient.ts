import { engine, zerosLike } from '@tensorflow/tfjs-core';
import type { GradConfig, NamedAttrMap, NamedTensorMap, Tensor } from '@tensorflow/tfjs-core';
import { LSTM_SEQUENCE, LSTM_SEQUENCE_GRAD } from './lstm-contract.js';

/**
 * The gradient of `OmnitrainLstmSequence`: one `OmnitrainLstmSequenceGrad` call gives the gradients
 * of `x`, `h0`, `c0`, `kernel` and `bias` together; the mask gets none. Registered with the kernels
 * by registerWasmTrainingKernels.
 *
 * @example tf.registerGradient(lstmSequenceGradient);
 */
export const lstmSequenceGradient: GradConfig = {
  kernelName: LSTM_SEQUENCE,
  inputsToSave: ['h0', 'c0', 'kernel', 'mask'],
  outputsToSave: [true],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const [h0, c0, kernel, mask, out] = saved as [Tensor, Tensor, Tensor, Tensor, Tensor];
    // Computed here, not in the per-input functions: tfjs runs each of those in its own tidy scope,
    // which would dispose the others (see gru-sequence-gradient.ts).
    const [dx, dh0, dc0, dKernel, dBias] = engine().runKernel(
      LSTM_SEQUENCE_GRAD, { dy: dy as Tensor, out, h0, c0, kernel, mask } as unknown as NamedTensorMap, attrs,
    ) as Tensor[];
    return {
      x: () => dx!,
      h0: () => dh0!,
      c0: () => dc0!,
      kernel: () => dKernel!,
      bias: () => dBias!,
      mask: () => zerosLike(mask),
    };
  },
};
