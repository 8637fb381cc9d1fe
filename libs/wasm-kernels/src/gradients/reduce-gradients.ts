import { div, fill, mul, reshape, util } from '@tensorflow/tfjs-core';
import type { GradConfig, NamedAttrMap, Tensor } from '@tensorflow/tfjs-core';

/** `dy` reshaped to x's rank (reduced axes kept as 1), and how many elements each output summed. */
function expandDy(dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap): { x: Tensor; dy: Tensor; reduceSize: number } {
  const [x] = saved as [Tensor];
  const axes = util.parseAxisParam(attrs['axis'] as number | number[], x.shape);
  const shape = x.shape.slice();
  let reduceSize = 1;
  for (const axis of axes) {
    reduceSize *= shape[axis]!;
    shape[axis] = 1;
  }
  return { x, dy: reshape(dy as Tensor, shape), reduceSize };
}

/**
 * The gradient of `Sum` as tfjs-core's (dy broadcast over the summed axes: `dy x ones(x.shape)`, the
 * same operations, so the same bits) with the ones made by the backend's `Fill` kernel: tfjs-core's
 * `ones` fills a JS array and copies it into the wasm heap, 25-45 ms for a [64, 16, 16, 64] tensor.
 * Registered by registerWasmTrainingKernels (gradients are global: every backend gets it).
 *
 * @example tf.registerGradient(sumGradient);
 */
export const sumGradient: GradConfig = {
  kernelName: 'Sum',
  inputsToSave: ['x'],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const e = expandDy(dy, saved, attrs);
    return { x: () => mul(e.dy, fill(e.x.shape, 1, 'float32')) };
  },
};

/**
 * The gradient of `Mean` as tfjs-core's (`dy x ones(x.shape) / n`, the same operations and bits) with
 * the ones made in the backend (see {@link sumGradient}): every global average pooling and masked
 * mean of a model paid the JS fill and copy of an input-sized tensor per step.
 *
 * @example tf.registerGradient(meanGradient);
 */
export const meanGradient: GradConfig = {
  kernelName: 'Mean',
  inputsToSave: ['x'],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const e = expandDy(dy, saved, attrs);
    return { x: () => div(mul(e.dy, fill(e.x.shape, 1, 'float32')), e.reduceSize) };
  },
};
