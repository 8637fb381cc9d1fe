import { engine } from '@tensorflow/tfjs-core';
import type { GradConfig, NamedTensorMap, Tensor } from '@tensorflow/tfjs-core';
import { GELU, GELU_GRAD } from './gelu-contract.js';

/**
 * The gradient of `OmnitrainGelu`: one `OmnitrainGeluGrad` call. Registered with the kernels by
 * registerWasmTrainingKernels (backend-independent: it needs `OmnitrainGeluGrad` where it runs).
 *
 * @example tf.registerGradient(geluGradient);
 */
export const geluGradient: GradConfig = {
  kernelName: GELU,
  inputsToSave: ['x'],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
    const [x] = saved as [Tensor];
    return { x: () => engine().runKernel(GELU_GRAD, { x, dy: dy as Tensor } as unknown as NamedTensorMap) as Tensor };
  },
};
