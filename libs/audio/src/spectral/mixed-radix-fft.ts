/** Radices with hand-written butterflies; other prime factors use the generic O(r^2) one. */
const LARGEST_RADIX = 13;

interface Stage {
  radix: number;
  /** Sub-transform length after this stage. */
  m: number;
  /** Stride: product of the radices before. */
  s: number;
  /** Twiddles exp(-2 pi i p u / (radix * m)), `[p * (radix - 1) + u - 1]`. */
  twRe: Float64Array;
  twIm: Float64Array;
  /** The radix's roots of unity exp(-2 pi i k / radix) (used by the generic butterfly). */
  rootRe: Float64Array;
  rootIm: Float64Array;
}

/**
 * The prime factors of n in the order the stages use them (4s first, then 2, 3, 5, ...), or
 * undefined when a factor exceeds {@link LARGEST_RADIX} (then Bluestein's algorithm is cheaper).
 */
export function smoothFactors(n: number): number[] | undefined {
  const factors: number[] = [];
  let rest = n;
  while (rest % 4 === 0) {
    factors.push(4);
    rest /= 4;
  }
  for (let p = 2; p <= LARGEST_RADIX && rest > 1; p++) {
    while (rest % p === 0) {
      factors.push(p);
      rest /= p;
    }
  }
  return rest === 1 ? factors : undefined;
}

/**
 * A complex DFT for sizes whose prime factors are all <= 13 (400, 200, 25, 1000, ...): the
 * Stockham autosort decimation-in-frequency algorithm, one pass over the data per factor, output
 * in natural order, twiddles precomputed. Works in place on split real/imaginary arrays.
 * Internal to the spectral code (powers of two go to fft.js, other sizes to Bluestein).
 */
export class MixedRadixFft {
  readonly size: number;
  readonly #stages: Stage[] = [];
  readonly #re: Float64Array;
  readonly #im: Float64Array;

  /** @param size Points; every prime factor must be <= 13 (see {@link smoothFactors}). */
  constructor(size: number) {
    const factors = smoothFactors(size);
    if (factors === undefined) throw new RangeError(`MixedRadixFft: ${size} has a prime factor above ${LARGEST_RADIX}`);
    this.size = size;
    this.#re = new Float64Array(size);
    this.#im = new Float64Array(size);
    let len = size;
    let s = 1;
    for (const radix of factors) {
      const m = len / radix;
      const twRe = new Float64Array(m * (radix - 1));
      const twIm = new Float64Array(m * (radix - 1));
      for (let p = 0; p < m; p++) {
        for (let u = 1; u < radix; u++) {
          const angle = (-2 * Math.PI * ((p * u) % len)) / len;
          twRe[p * (radix - 1) + u - 1] = Math.cos(angle);
          twIm[p * (radix - 1) + u - 1] = Math.sin(angle);
        }
      }
      const rootRe = Float64Array.from({ length: radix }, (_, k) => Math.cos((-2 * Math.PI * k) / radix));
      const rootIm = Float64Array.from({ length: radix }, (_, k) => Math.sin((-2 * Math.PI * k) / radix));
      this.#stages.push({ radix, m, s, twRe, twIm, rootRe, rootIm });
      len = m;
      s *= radix;
    }
  }

  /** Replaces (re, im), each of length `size`, by their DFT. */
  transform(re: Float64Array, im: Float64Array): void {
    let xr = re;
    let xi = im;
    let yr = this.#re;
    let yi = this.#im;
    const stages = this.#stages;
    for (let i = 0; i < stages.length; i++) {
      butterflies(stages[i]!, xr, xi, yr, yi);
      const tr = xr;
      xr = yr;
      yr = tr;
      const ti = xi;
      xi = yi;
      yi = ti;
    }
    if (xr !== re) {
      re.set(xr);
      im.set(xi);
    }
  }
}

/** One Stockham stage: y[q + s (r p + u)] = (sum_t x[q + s (p + t m)] w_r^{t u}) * tw[p][u]. */
function butterflies(stage: Stage, xr: Float64Array, xi: Float64Array, yr: Float64Array, yi: Float64Array): void {
  switch (stage.radix) {
    case 2:
      return radix2(stage, xr, xi, yr, yi);
    case 3:
      return radix3(stage, xr, xi, yr, yi);
    case 4:
      return radix4(stage, xr, xi, yr, yi);
    case 5:
      return radix5(stage, xr, xi, yr, yi);
    default:
      return radixN(stage, xr, xi, yr, yi);
  }
}

function radix2({ m, s, twRe, twIm }: Stage, xr: Float64Array, xi: Float64Array, yr: Float64Array, yi: Float64Array): void {
  for (let p = 0; p < m; p++) {
    const wr = twRe[p]!;
    const wi = twIm[p]!;
    for (let q = 0; q < s; q++) {
      const i0 = q + s * p;
      const i1 = i0 + s * m;
      const ar = xr[i0]!, ai = xi[i0]!, br = xr[i1]!, bi = xi[i1]!;
      const o = q + s * 2 * p;
      yr[o] = ar + br;
      yi[o] = ai + bi;
      const dr = ar - br, di = ai - bi;
      yr[o + s] = dr * wr - di * wi;
      yi[o + s] = dr * wi + di * wr;
    }
  }
}

const SIN60 = Math.sqrt(3) / 2;

function radix3({ m, s, twRe, twIm }: Stage, xr: Float64Array, xi: Float64Array, yr: Float64Array, yi: Float64Array): void {
  for (let p = 0; p < m; p++) {
    const w1r = twRe[2 * p]!, w1i = twIm[2 * p]!, w2r = twRe[2 * p + 1]!, w2i = twIm[2 * p + 1]!;
    for (let q = 0; q < s; q++) {
      const i0 = q + s * p;
      const a0r = xr[i0]!, a0i = xi[i0]!;
      const a1r = xr[i0 + s * m]!, a1i = xi[i0 + s * m]!;
      const a2r = xr[i0 + 2 * s * m]!, a2i = xi[i0 + 2 * s * m]!;
      const t1r = a1r + a2r, t1i = a1i + a2i;
      const t2r = a0r - 0.5 * t1r, t2i = a0i - 0.5 * t1i;
      // -i sin(60) (a1 - a2)
      const t3r = SIN60 * (a1i - a2i), t3i = -SIN60 * (a1r - a2r);
      const o = q + s * 3 * p;
      yr[o] = a0r + t1r;
      yi[o] = a0i + t1i;
      const b1r = t2r + t3r, b1i = t2i + t3i, b2r = t2r - t3r, b2i = t2i - t3i;
      yr[o + s] = b1r * w1r - b1i * w1i;
      yi[o + s] = b1r * w1i + b1i * w1r;
      yr[o + 2 * s] = b2r * w2r - b2i * w2i;
      yi[o + 2 * s] = b2r * w2i + b2i * w2r;
    }
  }
}

function radix4({ m, s, twRe, twIm }: Stage, xr: Float64Array, xi: Float64Array, yr: Float64Array, yi: Float64Array): void {
  const sm = s * m;
  if (m === 1) {
    // The last stage: every twiddle is 1.
    for (let q = 0; q < s; q++) {
      const a0r = xr[q]!, a0i = xi[q]!, a1r = xr[q + s]!, a1i = xi[q + s]!;
      const a2r = xr[q + 2 * s]!, a2i = xi[q + 2 * s]!, a3r = xr[q + 3 * s]!, a3i = xi[q + 3 * s]!;
      const s02r = a0r + a2r, s02i = a0i + a2i, d02r = a0r - a2r, d02i = a0i - a2i;
      const s13r = a1r + a3r, s13i = a1i + a3i, d13r = a1r - a3r, d13i = a1i - a3i;
      yr[q] = s02r + s13r;
      yi[q] = s02i + s13i;
      yr[q + s] = d02r + d13i;
      yi[q + s] = d02i - d13r;
      yr[q + 2 * s] = s02r - s13r;
      yi[q + 2 * s] = s02i - s13i;
      yr[q + 3 * s] = d02r - d13i;
      yi[q + 3 * s] = d02i + d13r;
    }
    return;
  }
  for (let p = 0; p < m; p++) {
    const w1r = twRe[3 * p]!, w1i = twIm[3 * p]!;
    const w2r = twRe[3 * p + 1]!, w2i = twIm[3 * p + 1]!;
    const w3r = twRe[3 * p + 2]!, w3i = twIm[3 * p + 2]!;
    for (let q = 0; q < s; q++) {
      const i0 = q + s * p;
      const a0r = xr[i0]!, a0i = xi[i0]!;
      const a1r = xr[i0 + sm]!, a1i = xi[i0 + sm]!;
      const a2r = xr[i0 + 2 * sm]!, a2i = xi[i0 + 2 * sm]!;
      const a3r = xr[i0 + 3 * sm]!, a3i = xi[i0 + 3 * sm]!;
      const s02r = a0r + a2r, s02i = a0i + a2i, d02r = a0r - a2r, d02i = a0i - a2i;
      const s13r = a1r + a3r, s13i = a1i + a3i, d13r = a1r - a3r, d13i = a1i - a3i;
      const o = q + s * 4 * p;
      yr[o] = s02r + s13r;
      yi[o] = s02i + s13i;
      // b1 = (a0 - a2) - i (a1 - a3); b3 = (a0 - a2) + i (a1 - a3)
      const b1r = d02r + d13i, b1i = d02i - d13r;
      const b2r = s02r - s13r, b2i = s02i - s13i;
      const b3r = d02r - d13i, b3i = d02i + d13r;
      yr[o + s] = b1r * w1r - b1i * w1i;
      yi[o + s] = b1r * w1i + b1i * w1r;
      yr[o + 2 * s] = b2r * w2r - b2i * w2i;
      yi[o + 2 * s] = b2r * w2i + b2i * w2r;
      yr[o + 3 * s] = b3r * w3r - b3i * w3i;
      yi[o + 3 * s] = b3r * w3i + b3i * w3r;
    }
  }
}

const C1 = Math.cos((2 * Math.PI) / 5);
const C2 = Math.cos((4 * Math.PI) / 5);
const S1 = Math.sin((2 * Math.PI) / 5);
const S2 = Math.sin((4 * Math.PI) / 5);

function radix5({ m, s, twRe, twIm }: Stage, xr: Float64Array, xi: Float64Array, yr: Float64Array, yi: Float64Array): void {
  const sm = s * m;
  if (m === 1) {
    // The last stage: every twiddle is 1.
    for (let q = 0; q < s; q++) {
      const a0r = xr[q]!, a0i = xi[q]!, a1r = xr[q + s]!, a1i = xi[q + s]!;
      const a2r = xr[q + 2 * s]!, a2i = xi[q + 2 * s]!, a3r = xr[q + 3 * s]!, a3i = xi[q + 3 * s]!;
      const a4r = xr[q + 4 * s]!, a4i = xi[q + 4 * s]!;
      const t1r = a1r + a4r, t1i = a1i + a4i, d1r = a1r - a4r, d1i = a1i - a4i;
      const t2r = a2r + a3r, t2i = a2i + a3i, d2r = a2r - a3r, d2i = a2i - a3i;
      const e1r = a0r + C1 * t1r + C2 * t2r, e1i = a0i + C1 * t1i + C2 * t2i;
      const e2r = a0r + C2 * t1r + C1 * t2r, e2i = a0i + C2 * t1i + C1 * t2i;
      const f1r = S1 * d1i + S2 * d2i, f1i = -(S1 * d1r + S2 * d2r);
      const f2r = S2 * d1i - S1 * d2i, f2i = -(S2 * d1r - S1 * d2r);
      yr[q] = a0r + t1r + t2r;
      yi[q] = a0i + t1i + t2i;
      yr[q + s] = e1r + f1r;
      yi[q + s] = e1i + f1i;
      yr[q + 2 * s] = e2r + f2r;
      yi[q + 2 * s] = e2i + f2i;
      yr[q + 3 * s] = e2r - f2r;
      yi[q + 3 * s] = e2i - f2i;
      yr[q + 4 * s] = e1r - f1r;
      yi[q + 4 * s] = e1i - f1i;
    }
    return;
  }
  for (let p = 0; p < m; p++) {
    const t = 4 * p;
    for (let q = 0; q < s; q++) {
      const i0 = q + s * p;
      const a0r = xr[i0]!, a0i = xi[i0]!;
      const a1r = xr[i0 + sm]!, a1i = xi[i0 + sm]!;
      const a2r = xr[i0 + 2 * sm]!, a2i = xi[i0 + 2 * sm]!;
      const a3r = xr[i0 + 3 * sm]!, a3i = xi[i0 + 3 * sm]!;
      const a4r = xr[i0 + 4 * sm]!, a4i = xi[i0 + 4 * sm]!;
      const t1r = a1r + a4r, t1i = a1i + a4i, d1r = a1r - a4r, d1i = a1i - a4i;
      const t2r = a2r + a3r, t2i = a2i + a3i, d2r = a2r - a3r, d2i = a2i - a3i;
      const e1r = a0r + C1 * t1r + C2 * t2r, e1i = a0i + C1 * t1i + C2 * t2i;
      const e2r = a0r + C2 * t1r + C1 * t2r, e2i = a0i + C2 * t1i + C1 * t2i;
      // -i (S1 d1 + S2 d2) and -i (S2 d1 - S1 d2); -i (x + iy) = y - ix
      const f1r = S1 * d1i + S2 * d2i, f1i = -(S1 * d1r + S2 * d2r);
      const f2r = S2 * d1i - S1 * d2i, f2i = -(S2 * d1r - S1 * d2r);
      const o = q + s * 5 * p;
      yr[o] = a0r + t1r + t2r;
      yi[o] = a0i + t1i + t2i;
      twiddle(yr, yi, o + s, e1r + f1r, e1i + f1i, twRe[t]!, twIm[t]!);
      twiddle(yr, yi, o + 2 * s, e2r + f2r, e2i + f2i, twRe[t + 1]!, twIm[t + 1]!);
      twiddle(yr, yi, o + 3 * s, e2r - f2r, e2i - f2i, twRe[t + 2]!, twIm[t + 2]!);
      twiddle(yr, yi, o + 4 * s, e1r - f1r, e1i - f1i, twRe[t + 3]!, twIm[t + 3]!);
    }
  }
}

function twiddle(yr: Float64Array, yi: Float64Array, at: number, br: number, bi: number, wr: number, wi: number): void {
  yr[at] = br * wr - bi * wi;
  yi[at] = br * wi + bi * wr;
}

/** Any radix (7, 11, 13): the size-r DFT of each group by its definition. */
function radixN(stage: Stage, xr: Float64Array, xi: Float64Array, yr: Float64Array, yi: Float64Array): void {
  const { radix: r, m, s, twRe, twIm, rootRe: cos, rootIm: sin } = stage;
  const ar = new Float64Array(r);
  const ai = new Float64Array(r);
  for (let p = 0; p < m; p++) {
    for (let q = 0; q < s; q++) {
      for (let t = 0; t < r; t++) {
        ar[t] = xr[q + s * (p + t * m)]!;
        ai[t] = xi[q + s * (p + t * m)]!;
      }
      const o = q + s * r * p;
      for (let u = 0; u < r; u++) {
        let br = 0;
        let bi = 0;
        for (let t = 0; t < r; t++) {
          const k = (t * u) % r;
          br += ar[t]! * cos[k]! - ai[t]! * sin[k]!;
          bi += ar[t]! * sin[k]! + ai[t]! * cos[k]!;
        }
        if (u === 0) {
          yr[o] = br;
          yi[o] = bi;
        } else twiddle(yr, yi, o + u * s, br, bi, twRe[p * (r - 1) + u - 1]!, twIm[p * (r - 1) + u - 1]!);
      }
    }
  }
}
