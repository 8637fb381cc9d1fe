// A forward 2D convolution as an implicit GEMM in WebAssembly SIMD (no im2col matrix):
// out[p, co] = sum_k x[xBase(p) + offs[k]] * w[k, co], for every output position p = (b, oy, ox) and
// filter row k = (fy, fx, ci), reading a zero-padded input (so every read is inside it). The filter
// [k, cOut] is packed once into panels of 8 output channels ([cOut / 8][k][8], the last zero-padded);
// register blocks are 4 positions x 8 channels (8 f32x4 accumulators, one i32 offset load and four
// `load32_splat`s per filter row: shared/conv-tile.ts). Pointers are byte offsets into the imported memory,
// strides in floats.
import { tile1, tile4 } from './shared/conv-tile';

/** Floats of scratch {@link conv2d} needs: the packed filter plus one 4 x 8 tile. */
export function conv2dScratchFloats(k: i32, cOut: i32): i32 {
  return ((cOut + 7) & ~7) * k + 32;
}

/**
 * out [batch, oh, ow, cOut] = the convolution described above; xBase(b, oy, ox) = b * imageStride +
 * oy * rowStride + ox * colStride; `offs` holds k int32 element offsets; `scratch` holds
 * {@link conv2dScratchFloats} floats.
 */
export function conv2d(
  x: usize, w: usize, out: usize, offs: usize, scratch: usize,
  batch: i32, oh: i32, ow: i32, k: i32, cOut: i32,
  imageStride: i32, rowStride: i32, colStride: i32,
): void {
  const panels = (cOut + 7) >> 3;
  const panelBytes = <usize>k << 5;
  const tmp = scratch + <usize>panels * panelBytes;
  for (let q = 0; q < panels; q++) {
    const j0 = q << 3;
    const width = min(8, cOut - j0);
    let dst = scratch + <usize>q * panelBytes;
    let src = w + (<usize>j0 << 2);
    for (let p = 0; p < k; p++) {
      if (width == 8) {
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
      } else {
        for (let j = 0; j < 8; j++) store<f32>(dst + (<usize>j << 2), j < width ? load<f32>(src + (<usize>j << 2)) : 0);
      }
      dst += 32;
      src += <usize>cOut << 2;
    }
  }
  const or = <usize>cOut << 2;
  const cs = <usize>colStride << 2;
  const ow4 = ow & ~3;
  for (let b = 0; b < batch; b++) {
    for (let oy = 0; oy < oh; oy++) {
      const xRow = x + ((<usize>b * imageStride + <usize>oy * rowStride) << 2);
      const oRow = out + (<usize>(b * oh + oy) * ow * cOut << 2);
      for (let q = 0; q < panels; q++) {
        const j0 = q << 3;
        const width = min(8, cOut - j0);
        const panel = scratch + <usize>q * panelBytes;
        if (width == 8) {
          let ox = 0;
          for (; ox < ow4; ox += 4) {
            const x0 = xRow + <usize>ox * cs;
            tile4(x0, x0 + cs, x0 + 2 * cs, x0 + 3 * cs, offs, panel, k, oRow + <usize>ox * or + (<usize>j0 << 2), or);
          }
          for (; ox < ow; ox++) tile1(xRow + <usize>ox * cs, offs, panel, k, oRow + <usize>ox * or + (<usize>j0 << 2));
        } else {
          for (let ox = 0; ox < ow; ox++) {
            tile1(xRow + <usize>ox * cs, offs, panel, k, tmp);
            for (let j = 0; j < width; j++) store<f32>(oRow + <usize>ox * or + (<usize>(j0 + j) << 2), load<f32>(tmp + (<usize>j << 2)));
          }
        }
      }
    }
  }
}
