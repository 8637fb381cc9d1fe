import { backend_util, BatchMatMul, Conv2DBackpropFilter } from '@tensorflow/tfjs-core';
import type {
  Conv2DBackpropFilterAttrs,
  Conv2DBackpropFilterInputs,
  KernelConfig,
  KernelFunc,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { alloc, dispose, f32, runShipped, toChannelsLast, view } from '../wasm-backend.js';
import type { BackendWasm } from '../wasm-backend.js';
import { heapOffset, simdModule } from '../simd-module.js';
import { paddedInput, winogradFits, winogradScratch } from '../simd-conv.js';
import { convBackpropFilterWasmBase64 } from '../generated/conv-backprop-filter-wasm.js';
import { winogradBackpropFilterWasmBase64 } from '../generated/winograd-backprop-filter-wasm.js';

function run(args: {
  inputs: Conv2DBackpropFilterInputs;
  backend: BackendWasm;
  attrs: Conv2DBackpropFilterAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
  const xIn = inputs.x as TensorInfo;
  const info = backend_util.computeConv2DInfo(
    xIn.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    backend_util.convertConv2DDataFormat(dataFormat),
  );
  const x = toChannelsLast(backend, xIn, info.dataFormat); // [n, h, w, cIn]
  const dy = toChannelsLast(backend, inputs.dy as TensorInfo, info.dataFormat); // [n, oh, ow, cOut]
  const dW = useIm2col ? im2colGemm(backend, x.info, dy.info, info) : direct(backend, x.info, dy.info, info);
  x.release();
  dy.release();
  return { dataId: dW.dataId, shape: [info.filterHeight, info.filterWidth, info.inChannels, info.outChannels], dtype: 'float32' };
}

/** Test hook: route through the former im2col + XNNPACK path (the bench's peer). */
let useIm2col = false;

/**
 * Selects the filter-gradient algorithm (`'direct'`, the default, or `'im2col'`) for benchmarks and
 * tests that compare the two.
 *
 * @example
 * setConv2dBackpropFilterAlgorithm('im2col'); // the former path, for a same-process comparison
 */
export function setConv2dBackpropFilterAlgorithm(algorithm: 'direct' | 'im2col'): void {
  useIm2col = algorithm === 'im2col';
}

interface ConvFilterExports {
  convBackpropFilter(
    x: number, dy: number, dw: number, offs: number,
    batch: number, oh: number, ow: number, k: number, cOut: number,
    imageStride: number, rowStride: number, colStride: number,
  ): void;
}

interface WinogradFilterExports {
  winogradScratchFloats(chunk: number, hp: number, oh: number, ow: number, cIn: number, cOut: number, fh: number): number;
  winogradBackpropFilter(
    x: number, dy: number, dw: number, scratch: number,
    batch: number, h: number, wIn: number, top: number, left: number, hp: number, cIn: number, oh: number, ow: number, cOut: number,
    fh: number, sh: number, dh: number, chunk: number,
  ): void;
}

/**
 * The SIMD kernels on the wasm heap: Winograd F(4,3) along the width (assembly/winograd-backprop-filter.ts,
 * padding applied in its input transform) for filters 3 wide at width stride 1, else the direct loop of
 * assembly/conv-backprop-filter.ts over a zero-padded copy of the input when the convolution pads it (or
 * reads past its edge), so it reads every tap without bounds checks.
 */
function direct(backend: BackendWasm, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { batchSize: n, inChannels: cIn, outChannels: cOut } = info;
  const { outHeight: oh, outWidth: ow, strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw } = info;
  const k = fh * fw * cIn;
  const dW = alloc(backend, [k, cOut], 'float32', false);
  if (n * oh * ow === 0 || k * cOut === 0) {
    f32(backend, dW).fill(0);
    return dW;
  }
  if (winogradFits(info)) {
    const wino = simdModule<WinogradFilterExports>(backend, winogradBackpropFilterWasmBase64);
    const { hp, chunk, scratch } = winogradScratch(backend, wino, info);
    wino.winogradBackpropFilter(
      heapOffset(backend, x), heapOffset(backend, dy), heapOffset(backend, dW), heapOffset(backend, scratch),
      n, info.inHeight, info.inWidth, info.padInfo.top, info.padInfo.left, hp, cIn, oh, ow, cOut, fh, sh, info.dilationHeight, chunk,
    );
    dispose(backend, scratch);
    return dW;
  }
  const input = paddedInput(backend, x, info);
  const { height: bh, width: bw } = input;
  const { convBackpropFilter } = simdModule<ConvFilterExports>(backend, convBackpropFilterWasmBase64);
  convBackpropFilter(
    heapOffset(backend, input.info), heapOffset(backend, dy), heapOffset(backend, dW), heapOffset(backend, input.offsets),
    n, oh, ow, k, cOut, bh * bw * cIn, sh * bw * cIn, sw * cIn,
  );
  input.release();
  return dW;
}

/** The former path: the transposed im2col matrix in JS times `dy` through XNNPACK. */
function im2colGemm(backend: BackendWasm, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { filterHeight: fh, filterWidth: fw, inChannels: cIn, outChannels: cOut } = info;
  const positions = info.batchSize * info.outHeight * info.outWidth;
  const rows = fh * fw * cIn;
  // colT [fh * fw * cIn, n * oh * ow]: input patches, one row per filter tap, so that
  // dW [fh * fw * cIn, cOut] = colT x dy [n * oh * ow, cOut] is one XNNPACK product.
  const colT = alloc(backend, [1, rows, positions], 'float32', false);
  im2colT(f32(backend, x), f32(backend, colT), info);
  const dW = runShipped(
    BatchMatMul,
    backend,
    { a: colT, b: view(dy, [1, positions, cOut]) },
    { transposeA: false, transposeB: false },
  );
  dispose(backend, colT);
  return dW;
}

/**
 * Writes the transposed im2col matrix of `x` (NHWC) into `colT` ([taps * cIn, positions], zero
 * padding). One output row at a time, so the few input rows it reads stay in cache while each of
 * the taps * cIn rows of `colT` gets one contiguous run.
 */
function im2colT(x: Float32Array, colT: Float32Array, info: backend_util.Conv2DInfo): void {
  const { batchSize, inHeight, inWidth, inChannels: cIn, outHeight, outWidth } = info;
  const { strideHeight: sh, strideWidth: sw, filterHeight, filterWidth } = info;
  const { top, left } = info.padInfo;
  const positions = batchSize * outHeight * outWidth;
  const xStep = sw * cIn;
  // Output columns whose input column is inside the image, per filter column: ox in [lo, hi).
  const lo = new Int32Array(filterWidth);
  const hi = new Int32Array(filterWidth);
  for (let fx = 0; fx < filterWidth; fx++) {
    lo[fx] = Math.min(outWidth, Math.max(0, Math.ceil((left - fx) / sw)));
    hi[fx] = Math.max(lo[fx], Math.min(outWidth, Math.floor((inWidth - 1 + left - fx) / sw) + 1));
  }
  for (let b = 0; b < batchSize; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      const p = (b * outHeight + oy) * outWidth; // first position of this output row
      for (let fy = 0; fy < filterHeight; fy++) {
        const iy = oy * sh + fy - top;
        const inside = iy >= 0 && iy < inHeight;
        for (let fx = 0; fx < filterWidth; fx++) {
          const oxLo = lo[fx];
          const oxHi = hi[fx];
          const tap = (fy * filterWidth + fx) * cIn;
          for (let c = 0; c < cIn; c++) {
            const o = (tap + c) * positions + p;
            if (!inside) {
              colT.fill(0, o, o + outWidth);
              continue;
            }
            if (oxLo > 0) colT.fill(0, o, o + oxLo);
            let xi = ((b * inHeight + iy) * inWidth) * cIn + (oxLo * sw + fx - left) * cIn + c;
            for (let ox = oxLo; ox < oxHi; ox++, xi += xStep) colT[o + ox] = x[xi];
            if (oxHi < outWidth) colT.fill(0, o + oxHi, o + outWidth);
          }
        }
      }
    }
  }
}

/**
 * `Conv2DBackpropFilter` for wasm, which lacks it (every conv2d and conv1d layer needs it to train):
 * WebAssembly SIMD on the wasm heap, no im2col matrix: for filters 3 wide at width stride 1, Winograd
 * F(4,3) along the width (assembly/winograd-backprop-filter.ts: half the products, 1.3-2.3x the direct
 * loop on the BENCHMARKS.md shapes); otherwise a direct loop (assembly/conv-backprop-filter.ts: 4 filter
 * rows x 8 output channels per register block) over a zero-padded copy of the input when the
 * convolution pads. 500-4000x the cpu-backend fallback. Strides, `valid` / `same` / explicit padding,
 * NHWC and NCHW (tfjs has no gradient for dilated convolutions, so neither does this kernel).
 */
export const conv2dBackpropFilter: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: run as unknown as KernelFunc,
};
