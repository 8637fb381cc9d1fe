import { engine, op } from '@tensorflow/tfjs-core';
import type { NamedTensorMap, Tensor } from '@tensorflow/tfjs-core';
import { requireKernel } from '../require-kernel.js';
import { GELU } from './gelu-contract.js';

/** {@link fusedGelu} before tfjs' op wrapper. */
function fusedGelu_<T extends Tensor>(x: T): T {
  requireKernel('fusedGelu', GELU, 'GELU as separate ops');
  return engine().runKernel(GELU, { x } as unknown as NamedTensorMap) as T;
}

/**
 * GELU with the tanh approximation, `0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))` (PyTorch's
 * `F.gelu(x, approximate='tanh')`), as ONE kernel forward and one backward (`OmnitrainGelu`,
 * `OmnitrainGeluGrad`, wasm + registerWasmTrainingKernels) instead of ~9 and ~15 element-wise
 * kernels; within float32 rounding of the op-by-op formula (the tanh is a few ulp). Throws a
 * BackendError where the kernel is not registered.
 *
 * @example
 * const h = fusedGelu(tf.matMul(x, w)); // differentiable: tf.grad / variableGrads go through it
 */
export const fusedGelu = op({ fusedGelu_ });
