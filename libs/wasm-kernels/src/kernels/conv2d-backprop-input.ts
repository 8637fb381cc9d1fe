import { backend_util, BatchMatMul, Conv2DBackpropInput } from '@tensorflow/tfjs-core';
import type {
  Conv2DBackpropInputAttrs,
  Conv2DBackpropInputInputs,
  KernelConfig,
  KernelFunc,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { alloc, dispose, f32, runShipped, toChannelsLast, transpose, view } from '../wasm-backend.js';
import type { BackendWasm } from '../wasm-backend.js';
import { simdTransposedConv2d } from '../simd-conv.js';

function run(args: {
  inputs: Conv2DBackpropInputInputs;
  backend: BackendWasm;
  attrs: Conv2DBackpropInputAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs;
  const filter = inputs.filter as TensorInfo; // [fh, fw, cIn, cOut]
  const info = backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    backend_util.convertConv2DDataFormat(dataFormat),
  );
  const dy = toChannelsLast(backend, inputs.dy as TensorInfo, info.dataFormat); // [n, oh, ow, cOut]
  const pads = transposedPadding(info);
  const dx = // [n, h, w, cIn]
    info.strideHeight === 1 && info.strideWidth === 1 && pads.every((p) => p >= 0)
      ? viaConv2D(backend, dy.info, filter, info, pads)
      : viaCol2im(backend, dy.info, filter, info);
  dy.release();
  if (info.dataFormat === 'channelsLast') return dx;
  const dxFirst = transpose(backend, dx, [0, 3, 1, 2]);
  dispose(backend, dx);
  return dxFirst;
}

/** Padding [top, bottom, left, right] of the stride-1 convolution of `dy` that gives `dx`. */
function transposedPadding(info: backend_util.Conv2DInfo): [number, number, number, number] {
  const { filterHeight: fh, filterWidth: fw, inHeight, inWidth, outHeight, outWidth } = info;
  const top = fh - 1 - info.padInfo.top;
  const left = fw - 1 - info.padInfo.left;
  return [top, inHeight - outHeight - top + fh - 1, left, inWidth - outWidth - left + fw - 1];
}

/**
 * Stride 1: `dx` is the convolution of `dy` with the filter rotated 180 degrees, its channel axes
 * swapped, run by the SIMD convolution of simd-conv.ts (Winograd F(4,3) for filters 3 wide, reading
 * the filter rotated and the padding in place; formerly XNNPACK's Conv2D, 7-11x the shipped kernel;
 * col2im is 1.5-2x slower here).
 */
function viaConv2D(
  backend: BackendWasm,
  dy: TensorInfo,
  filter: TensorInfo,
  info: backend_util.Conv2DInfo,
  [top, bottom, left, right]: [number, number, number, number],
): TensorInfo {
  const { filterHeight: fh, filterWidth: fw, inChannels: cIn, outChannels: cOut } = info;
  const convInfo = backend_util.computeConv2DInfo(
    dy.shape as [number, number, number, number],
    [fh, fw, cOut, cIn],
    1,
    1,
    [[0, 0], [top, bottom], [left, right], [0, 0]],
    undefined,
    false,
    'channelsLast',
  );
  return simdTransposedConv2d(backend, dy, filter, convInfo);
}

/**
 * Any stride: the patch gradients `dy [n*oh*ow, cOut] x filter^T [cOut, fh*fw*cIn]` by XNNPACK,
 * summed into `dx` in JS (col2im). Beats convolving a zero-dilated `dy` at stride 2 (7.5 vs 12.5 ms).
 */
function viaCol2im(
  backend: BackendWasm,
  dy: TensorInfo,
  filter: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo {
  const { batchSize, inHeight, inWidth, inChannels: cIn, outHeight, outWidth, outChannels: cOut } = info;
  const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw } = info;
  const taps = fh * fw * cIn;
  const positions = batchSize * outHeight * outWidth;
  const filterT = transpose(backend, view(filter, [taps, cOut]), [1, 0]);
  const cols = runShipped(
    BatchMatMul,
    backend,
    { a: view(dy, [1, positions, cOut]), b: view(filterT, [1, cOut, taps]) },
    { transposeA: false, transposeB: false },
  );
  const dx = alloc(backend, [batchSize, inHeight, inWidth, cIn], 'float32', true);
  const c = f32(backend, cols);
  const d = f32(backend, dx);
  const { top, left } = info.padInfo;
  let p = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++, p++) {
        for (let y = 0; y < fh; y++) {
          const iy = oy * sh + y - top;
          if (iy < 0 || iy >= inHeight) continue;
          for (let x = 0; x < fw; x++) {
            const ix = ox * sw + x - left;
            if (ix < 0 || ix >= inWidth) continue;
            const to = ((b * inHeight + iy) * inWidth + ix) * cIn;
            const from = p * taps + (y * fw + x) * cIn;
            for (let i = 0; i < cIn; i++) d[to + i] += c[from + i];
          }
        }
      }
    }
  }
  dispose(backend, filterT, cols);
  return dx;
}

/**
 * `Conv2DBackpropInput` for wasm, 5-11x faster than the shipped one on the BENCHMARKS.md conv
 * shapes: stride 1 as our SIMD convolution (Winograd F(4,3) for filters 3 wide) with the rotated
 * filter, other strides (or paddings wider than the filter) as an XNNPACK product plus col2im. Strides, `valid` / `same` / explicit
 * padding, NHWC and NCHW.
 */
export const conv2dBackpropInput: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: run as unknown as KernelFunc,
};
