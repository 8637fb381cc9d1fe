// Convolutions on the wasm heap by our SIMD kernels: the zero-padded input they read and the
// forward convolution (assembly/conv2d.ts) that Conv2D, FusedConv2D and Conv2DBackpropInput share.
import { backend_util } from '@tensorflow/tfjs-core';
import type { Conv2DAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import { conv2dWasmBase64 } from './generated/conv2d-wasm.js';
import { heapOffset, simdModule } from './simd-module.js';
import { alloc, dispose, f32, toChannelsLast, transpose } from './wasm-backend.js';
import type { BackendWasm } from './wasm-backend.js';

/** The NHWC input a SIMD convolution kernel reads: every tap of every output position inside it. */
export interface PaddedInput {
  /** `x` itself, or a zero-padded copy. */
  info: TensorInfo;
  /** Its height and width. */
  height: number;
  width: number;
  /** `offsets[k]`: the element offset of filter row k = (fy, fx, ci) from an output position's base. */
  offsets: TensorInfo;
  /** Frees the copy (if any) and the offsets. */
  release(): void;
}

/**
 * `x` (NHWC) as the SIMD convolution kernels read it: a zero-padded copy when `info` pads it or reads
 * past its edge (else `x` itself), and the int32 offsets of the filter taps. Dilations are supported.
 *
 * @example
 * const input = paddedInput(backend, x, info); // ... kernel(heapOffset(backend, input.info), ...); input.release();
 */
export function paddedInput(backend: BackendWasm, x: TensorInfo, info: backend_util.Conv2DInfo): PaddedInput {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: cIn, outHeight: oh, outWidth: ow } = info;
  const { strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw } = info;
  const { dilationHeight: dh, dilationWidth: dw } = info;
  const { top, left } = info.padInfo;
  // The input rows / columns read: (o - 1) * s + (f - 1) * d + 1 of them, from -top / -left on.
  const hp = oh > 0 ? (oh - 1) * sh + (fh - 1) * dh + 1 : 0;
  const wp = ow > 0 ? (ow - 1) * sw + (fw - 1) * dw + 1 : 0;
  const padded = top !== 0 || left !== 0 || hp > h || wp > w;
  const bw = padded ? wp : w;
  const bh = padded ? hp : h;
  const k = fh * fw * cIn;
  const offsets = alloc(backend, [Math.max(1, k)], 'int32', false);
  const xp = padded ? alloc(backend, [n, hp, wp, cIn], 'float32', true) : x;
  const table = backend.typedArrayFromHeap(offsets) as Int32Array;
  for (let fy = 0; fy < fh; fy++) {
    for (let fx = 0; fx < fw; fx++) {
      for (let c = 0; c < cIn; c++) table[(fy * fw + fx) * cIn + c] = (fy * dh * bw + fx * dw) * cIn + c;
    }
  }
  if (padded) {
    const src = f32(backend, x);
    const dst = f32(backend, xp);
    const cols = Math.min(w, wp - left); // input columns that land inside the buffer
    for (let b = 0; b < n; b++) {
      for (let iy = 0; iy < h; iy++) {
        const py = iy + top;
        if (py < 0 || py >= hp || cols <= 0) continue;
        const from = (b * h + iy) * w * cIn;
        if (left >= 0) {
          dst.set(src.subarray(from, from + cols * cIn), ((b * hp + py) * wp + left) * cIn);
        } else {
          // Negative padding (a transposed convolution's): the leading columns are cropped.
          const skip = -left;
          const keep = Math.min(w - skip, wp);
          if (keep > 0) dst.set(src.subarray(from + skip * cIn, from + (skip + keep) * cIn), (b * hp + py) * wp * cIn);
        }
      }
    }
  }
  return {
    info: xp,
    height: bh,
    width: bw,
    offsets,
    release: () => {
      dispose(backend, offsets);
      if (padded) dispose(backend, xp);
    },
  };
}

interface Conv2dExports {
  conv2d(
    x: number, w: number, out: number, offs: number, scratch: number,
    batch: number, oh: number, ow: number, k: number, cOut: number,
    imageStride: number, rowStride: number, colStride: number,
  ): void;
}

/**
 * The forward convolution of `x` (NHWC) with `filter` ([fh, fw, cIn, cOut]) described by `info`
 * (strides, dilations, padding), as a new NHWC tensor [n, oh, ow, cOut]: the implicit-GEMM SIMD kernel
 * of assembly/conv2d.ts.
 *
 * @example
 * const y = simdConv2d(backend, x, filter, backend_util.computeConv2DInfo(x.shape, filter.shape, 1, 1, 'same'));
 */
export function simdConv2d(backend: BackendWasm, x: TensorInfo, filter: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { batchSize: n, outHeight: oh, outWidth: ow, outChannels: cOut, inChannels: cIn } = info;
  const k = info.filterHeight * info.filterWidth * cIn;
  const out = alloc(backend, [n, oh, ow, cOut], 'float32', false);
  if (n * oh * ow * cOut === 0) return out;
  if (k === 0) {
    f32(backend, out).fill(0);
    return out;
  }
  const input = paddedInput(backend, x, info);
  const scratch = alloc(backend, [Math.ceil(cOut / 8) * 8 * k + 32], 'float32', false);
  const { conv2d } = simdModule<Conv2dExports>(backend, conv2dWasmBase64);
  const { height: bh, width: bw } = input;
  conv2d(
    heapOffset(backend, input.info), heapOffset(backend, filter), heapOffset(backend, out),
    heapOffset(backend, input.offsets), heapOffset(backend, scratch),
    n, oh, ow, k, cOut, bh * bw * cIn, info.strideHeight * bw * cIn, info.strideWidth * cIn,
  );
  dispose(backend, scratch);
  input.release();
  return out;
}

/**
 * The conv info of a float32 convolution the SIMD kernel runs (in `attrs.dataFormat`: explicit paddings
 * are in its axis order; the info's sizes are logical), or undefined (a case for the shipped kernel).
 *
 * @example
 * const info = simdConvInfo(x, filter, attrs); // then convInLayout(backend, x, attrs.dataFormat, (xl) => simdConv2d(backend, xl, filter, info))
 */
export function simdConvInfo(x: TensorInfo, filter: TensorInfo, attrs: Conv2DAttrs): backend_util.Conv2DInfo | undefined {
  if (x.dtype !== 'float32' || filter.dtype !== 'float32') return undefined;
  // In `dataFormat` (explicit paddings are given in its axis order); the info's sizes are logical.
  return backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    backend_util.convertConv2DDataFormat(attrs.dataFormat),
  );
}

/**
 * Runs `conv` on `x` in NHWC and returns its result in `dataFormat` (NCHW: transposed in and out).
 *
 * @example
 * const y = convInLayout(backend, x, 'NCHW', (xLast) => simdConv2d(backend, xLast, filter, info));
 */
export function convInLayout(backend: BackendWasm, x: TensorInfo, dataFormat: 'NHWC' | 'NCHW', conv: (xLast: TensorInfo) => TensorInfo): TensorInfo {
  if (dataFormat !== 'NCHW') return conv(x);
  const xLast = toChannelsLast(backend, x, 'channelsFirst');
  const outLast = conv(xLast.info);
  xLast.release();
  const out = transpose(backend, outLast, [0, 3, 1, 2]);
  dispose(backend, outLast);
  return out;
}

