/**
 * Per output index along one axis of a resize: the first source index, how many source pixels
 * follow, and their normalized weights (`taps` slots per output index).
 */
export interface AxisWeights {
  first: Int32Array;
  count: Int32Array;
  weights: Float64Array;
  taps: number;
}

/**
 * Triangle-filter weights mapping `length` source pixels from `start` onto `outSize` pixels (PIL's
 * scheme): bilinear when enlarging, widened to cover every source pixel when shrinking with
 * `antialias`. Shared by `resizeImage` and the fused crop-and-colour kernel, so both sample alike.
 *
 * @param inSize Source pixels along the axis.
 * @param outSize Output pixels along the axis.
 * @param start The source region's first coordinate (fractions allowed).
 * @param length The source region's length.
 * @param antialias Widen the filter when shrinking.
 * @example axisWeights(100, 224, 10, 50, true).count[0] // 2: enlarging reads two source pixels
 */
export function axisWeights(inSize: number, outSize: number, start: number, length: number, antialias: boolean): AxisWeights {
  const scale = length / outSize;
  const filterScale = antialias && scale > 1 ? scale : 1;
  const support = filterScale; // the triangle's radius, in source pixels
  const taps = Math.ceil(support) * 2 + 1;
  const first = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Float64Array(outSize * taps);
  for (let o = 0; o < outSize; o++) {
    const center = start + (o + 0.5) * scale;
    const lo = Math.max(0, Math.floor(center - support + 0.5));
    const hi = Math.min(inSize, Math.floor(center + support + 0.5));
    let total = 0;
    for (let j = lo; j < hi; j++) {
      const wgt = Math.max(0, 1 - Math.abs((j + 0.5 - center) / filterScale));
      weights[o * taps + j - lo] = wgt;
      total += wgt;
    }
    for (let j = lo; j < hi; j++) weights[o * taps + j - lo]! /= total;
    first[o] = lo;
    count[o] = hi - lo;
  }
  return { first, count, weights, taps };
}
