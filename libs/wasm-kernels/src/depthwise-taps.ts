import type { backend_util } from '@tensorflow/tfjs-core';

/** One of the three tensors of a depthwise convolution (NHWC, filter [fh, fw, cIn, multiplier]). */
export interface DepthwiseOperand {
  data: Float32Array | Float64Array;
  /** `x` (and its gradient) is indexed by input channel, `dy` and `filter` by output channel. */
  role: 'x' | 'dy' | 'filter';
}

/**
 * The loop both depthwise gradients are made of: for every output position and every filter tap
 * whose input pixel lies inside the image (padding contributes nothing), and every channel,
 * `out += a * b`. The filter gradient is `filter += x * dy`, the input gradient `x += dy * filter`.
 * One function with the roles as data, rather than a callback per tap, keeps V8's inner loop tight.
 */
export function accumulateDepthwiseTaps(
  info: backend_util.Conv2DInfo,
  out: DepthwiseOperand,
  a: DepthwiseOperand,
  b: DepthwiseOperand,
): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const { filterHeight: fh, filterWidth: fw } = info;
  const { top, left } = info.padInfo;
  const m = outChannels / inChannels;
  const o = out.data;
  const p = a.data;
  const q = b.data;
  // Per tap, the offsets of dy[b, oy, ox, 0], x[b, iy, ix, 0] and filter[ky, kx, 0, 0] (in that order).
  const at = new Int32Array(3);
  const slot = { dy: 0, x: 1, filter: 2 } as const;
  const [so, sa, sb] = [slot[out.role], slot[a.role], slot[b.role]];
  // Element (c, k) of channel c, multiplier k: x at c, dy and filter at c * m + k.
  const stride = (r: DepthwiseOperand['role']): [number, number] => (r === 'x' ? [1, 0] : [m, 1]);
  const [oc, ok] = stride(out.role);
  const [ac, ak] = stride(a.role);
  const [bc, bk] = stride(b.role);
  for (let n = 0; n < batchSize; n++) {
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ky = 0; ky < fh; ky++) {
        const iy = oy * sh + ky * dh - top;
        if (iy < 0 || iy >= inHeight) continue;
        for (let ox = 0; ox < outWidth; ox++) {
          at[0] = ((n * outHeight + oy) * outWidth + ox) * outChannels;
          for (let kx = 0; kx < fw; kx++) {
            const ix = ox * sw + kx * dw - left;
            if (ix < 0 || ix >= inWidth) continue;
            at[1] = ((n * inHeight + iy) * inWidth + ix) * inChannels;
            at[2] = (ky * fw + kx) * outChannels;
            const o0 = at[so];
            const a0 = at[sa];
            const b0 = at[sb];
            if (m === 1) {
              for (let c = 0; c < inChannels; c++) o[o0 + c] += p[a0 + c] * q[b0 + c];
            } else {
              for (let c = 0; c < inChannels; c++) {
                for (let k = 0; k < m; k++) o[o0 + c * oc + k * ok] += p[a0 + c * ac + k * ak] * q[b0 + c * bc + k * bk];
              }
            }
          }
        }
      }
    }
  }
}
