// Convolutions on the wasm heap by our SIMD kernels: the zero-padded input they read and the
// forward convolution (assembly/conv2d.ts) that Conv2D, FusedConv2D and Conv2DBackpropInput share.
import { backend_util } from '@tensorflow/tfjs-core';
import type { Conv2DAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import { conv2dWasmBase64 } from './generated/conv2d-wasm.js';
import { gemmWasmBase64 } from './generated/gemm-wasm.js';
import { winogradConvWasmBase64 } from './generated/winograd-conv-wasm.js';
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

interface WinogradExports {
  winogradScratchFloats(chunk: number, hp: number, oh: number, ow: number, cIn: number, cOut: number, fh: number): number;
  winogradConv(
    x: number, w: number, bias: number, out: number, scratch: number,
    batch: number, h: number, wIn: number, top: number, left: number, hp: number, cIn: number, oh: number, ow: number, cOut: number,
    fh: number, sh: number, dh: number, chunk: number, relu: number, flip: number,
  ): void;
}

interface BiasReluExports {
  biasRelu(out: number, bias: number, rows: number, n: number, relu: boolean): void;
}

/** What {@link simdConv2d} applies to its result: a bias of `cOut` floats and / or a relu. */
export interface ConvEpilogue {
  bias?: TensorInfo;
  relu: boolean;
}

/** Bytes of transformed input + products a Winograd pass keeps (sized for the core's L2). */
const WINOGRAD_CHUNK_BYTES = 512 * 1024;

/**
 * The smallest filter rows x input channels the Winograd path takes: measured 2026-11-28 (CPU time, one
 * core), depth 3 (one input channel, 3x3) ran 1.3-1.7x slower than the direct kernels, depths 48-384
 * (the BENCHMARKS.md layers) 1.4-2.3x faster.
 */
const WINOGRAD_MIN_DEPTH = 8;

/**
 * Whether the Winograd F(4,3) kernels (forward and filter gradient) run `info`: filters 3 wide at width
 * stride and dilation 1, with a GEMM depth (filter rows x input channels) deep enough that halving its
 * products outweighs the transforms.
 *
 * @example
 * if (winogradFits(info)) { ... } // else the direct kernels
 */
export function winogradFits(info: backend_util.Conv2DInfo): boolean {
  return info.filterWidth === 3 && info.strideWidth === 1 && info.dilationWidth === 1 &&
    info.filterHeight * info.inChannels >= WINOGRAD_MIN_DEPTH;
}

/**
 * The rows of the zero-padded input a Winograd kernel reads per image (`hp`), the images per pass (its
 * transformed input and products within {@link WINOGRAD_CHUNK_BYTES}) and its scratch tensor (the
 * caller disposes it).
 *
 * @example
 * const { hp, chunk, scratch } = winogradScratch(backend, wino, info);
 */
export function winogradScratch(
  backend: BackendWasm,
  wino: Pick<WinogradExports, 'winogradScratchFloats'>,
  info: backend_util.Conv2DInfo,
): { hp: number; chunk: number; scratch: TensorInfo } {
  const { batchSize: n, outHeight: oh, outWidth: ow, inChannels: cIn, outChannels: cOut, filterHeight: fh } = info;
  const hp = (oh - 1) * info.strideHeight + (fh - 1) * info.dilationHeight + 1;
  const perImage = wino.winogradScratchFloats(1, hp, oh, ow, cIn, cOut, fh) - wino.winogradScratchFloats(0, hp, oh, ow, cIn, cOut, fh);
  const chunk = Math.max(1, Math.min(n, Math.floor(WINOGRAD_CHUNK_BYTES / 4 / perImage)));
  return { hp, chunk, scratch: alloc(backend, [wino.winogradScratchFloats(chunk, hp, oh, ow, cIn, cOut, fh)], 'float32', false) };
}

/**
 * The forward convolution of `x` (NHWC) with `filter` ([fh, fw, cIn, cOut]) described by `info`
 * (strides, dilations, padding), as a new NHWC tensor [n, oh, ow, cOut], plus the optional `epilogue`
 * (bias, relu): Winograd F(4,3) along the width (assembly/winograd-conv.ts) for filters 3 wide at
 * width stride 1, else the implicit-GEMM SIMD kernel of assembly/conv2d.ts.
 *
 * @example
 * const y = simdConv2d(backend, x, filter, backend_util.computeConv2DInfo(x.shape, filter.shape, 1, 1, 'same'));
 */
export function simdConv2d(
  backend: BackendWasm,
  x: TensorInfo,
  filter: TensorInfo,
  info: backend_util.Conv2DInfo,
  epilogue: ConvEpilogue = { relu: false },
): TensorInfo {
  const { batchSize: n, outHeight: oh, outWidth: ow, outChannels: cOut, inChannels: cIn } = info;
  const k = info.filterHeight * info.filterWidth * cIn;
  const out = alloc(backend, [n, oh, ow, cOut], 'float32', false);
  if (n * oh * ow * cOut === 0) return out;
  if (k === 0) {
    f32(backend, out).fill(0);
    applyEpilogue(backend, out, cOut, epilogue);
    return out;
  }
  if (winogradFits(info)) {
    winogradConv2d(backend, x, filter, out, info, epilogue, false);
    return out;
  }
  const input = paddedInput(backend, x, info);
  const { height: bh, width: bw } = input;
  const scratch = alloc(backend, [Math.ceil(cOut / 8) * 8 * k + 32], 'float32', false);
  const { conv2d } = simdModule<Conv2dExports>(backend, conv2dWasmBase64);
  conv2d(
    heapOffset(backend, input.info), heapOffset(backend, filter), heapOffset(backend, out),
    heapOffset(backend, input.offsets), heapOffset(backend, scratch),
    n, oh, ow, k, cOut, bh * bw * cIn, info.strideHeight * bw * cIn, info.strideWidth * cIn,
  );
  dispose(backend, scratch);
  input.release();
  applyEpilogue(backend, out, cOut, epilogue);
  return out;
}

/**
 * Runs the Winograd kernel (assembly/winograd-conv.ts) into `out`; `flip`: `filter` is [fh, fw, cOut, cIn],
 * read rotated by 180 degrees with its channel axes swapped (a transposed convolution's filter).
 */
function winogradConv2d(
  backend: BackendWasm, x: TensorInfo, filter: TensorInfo, out: TensorInfo,
  info: backend_util.Conv2DInfo, epilogue: ConvEpilogue, flip: boolean,
): void {
  const { batchSize: n, outHeight: oh, outWidth: ow, outChannels: cOut, inChannels: cIn } = info;
  const wino = simdModule<WinogradExports>(backend, winogradConvWasmBase64);
  const { chunk, scratch, hp } = winogradScratch(backend, wino, info);
  wino.winogradConv(
    heapOffset(backend, x), heapOffset(backend, filter),
    epilogue.bias === undefined ? 0 : heapOffset(backend, epilogue.bias), heapOffset(backend, out), heapOffset(backend, scratch),
    n, info.inHeight, info.inWidth, info.padInfo.top, info.padInfo.left, hp, cIn, oh, ow, cOut,
    info.filterHeight, info.strideHeight, info.dilationHeight, chunk, epilogue.relu ? 1 : 0, flip ? 1 : 0,
  );
  dispose(backend, scratch);
}

/**
 * The stride-1 convolution of `dy` (NHWC) that gives a convolution's input gradient: `filter` is the
 * forward filter [fh, fw, cIn, cOut], convolved rotated by 180 degrees with its channel axes swapped;
 * `info` describes the transposed convolution (its input `dy` with cOut channels, padding, output with
 * cIn channels). The Winograd kernel reads the filter that way in place; other shapes get a rotated
 * copy and {@link simdConv2d}.
 *
 * @example
 * const dx = simdTransposedConv2d(backend, dy, filter, transposedInfo);
 */
export function simdTransposedConv2d(backend: BackendWasm, dy: TensorInfo, filter: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { filterHeight: fh, filterWidth: fw, inChannels: cOut, outChannels: cIn } = info;
  if (winogradFits(info) && info.batchSize * info.outHeight * info.outWidth * cIn > 0) {
    const out = alloc(backend, [info.batchSize, info.outHeight, info.outWidth, cIn], 'float32', false);
    winogradConv2d(backend, dy, filter, out, info, { relu: false }, true);
    return out;
  }
  const rotated = alloc(backend, [fh, fw, cOut, cIn], 'float32', false);
  const w = f32(backend, filter);
  const r = f32(backend, rotated);
  for (let y = 0; y < fh; y++) {
    for (let x = 0; x < fw; x++) {
      const from = ((fh - 1 - y) * fw + (fw - 1 - x)) * cIn * cOut;
      const to = (y * fw + x) * cOut * cIn;
      for (let i = 0; i < cIn; i++) {
        for (let o = 0; o < cOut; o++) r[to + o * cIn + i] = w[from + i * cOut + o];
      }
    }
  }
  const dx = simdConv2d(backend, dy, rotated, info);
  dispose(backend, rotated);
  return dx;
}

/** Adds the bias and applies the relu of `epilogue` to `out` in place (the SIMD epilogue of gemm.ts). */
function applyEpilogue(backend: BackendWasm, out: TensorInfo, cOut: number, epilogue: ConvEpilogue): void {
  if (epilogue.bias === undefined && !epilogue.relu) return;
  const { biasRelu } = simdModule<BiasReluExports>(backend, gemmWasmBase64);
  const bias = epilogue.bias === undefined ? 0 : heapOffset(backend, epilogue.bias);
  biasRelu(heapOffset(backend, out), bias, backend.typedArrayFromHeap(out).length / cOut, cOut, epilogue.relu);
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

