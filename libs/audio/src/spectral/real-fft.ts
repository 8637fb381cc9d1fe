import FFT from 'fft.js';
import { checkNumber } from '../options/check-options.js';
import { BluesteinFft } from './bluestein-fft.js';
import { MixedRadixFft, smoothFactors } from './mixed-radix-fft.js';

/** An in-place complex DFT on split arrays. */
interface ComplexFft {
  transform(re: Float64Array, im: Float64Array): void;
}

/**
 * The DFT of real signals of a fixed size n >= 2, bins 0..floor(n/2) (the rest mirror them):
 * fft.js's real transform when n is a power of two; for other even n, one complex DFT of n/2 points
 * on the even/odd samples packed as real/imaginary parts; for odd n, a complex DFT of n points.
 * Complex DFTs of sizes whose prime factors are <= 13 (e.g. 200 for nFft 400) use a mixed-radix
 * Stockham FFT, others Bluestein's algorithm on fft.js. Plans (twiddles, chirps, buffers) are made
 * once in the constructor; reuse the object.
 *
 * @example
 * const fft = new RealFft(400);
 * const re = new Float64Array(fft.bins), im = new Float64Array(fft.bins);
 * fft.transform(frame, re, im); // X[k] = sum_t frame[t] e^{-2 pi i k t / 400}
 */
export class RealFft {
  /** Points of the transform. */
  readonly size: number;
  /** Output bins: floor(size / 2) + 1. */
  readonly bins: number;
  readonly #pow2: FFT | undefined;
  readonly #complex: ComplexFft | undefined;
  /** Power of two: fft.js input and interleaved output; otherwise the complex DFT's re and im. */
  readonly #bufA: Float64Array;
  readonly #bufB: Float64Array;
  /** Even n only: the twiddles e^{-2 pi i k / n}, k = 0..n/2. */
  readonly #twRe: Float64Array | undefined;
  readonly #twIm: Float64Array | undefined;

  /** @param size Points of the transform, an integer >= 2. */
  constructor(size: number) {
    checkNumber('audio.RealFft', 'size', size, { min: 2, integer: true });
    this.size = size;
    this.bins = Math.floor(size / 2) + 1;
    if ((size & (size - 1)) === 0) {
      this.#pow2 = new FFT(size);
      this.#bufA = new Float64Array(size);
      this.#bufB = new Float64Array(2 * size);
      return;
    }
    const even = size % 2 === 0;
    const points = even ? size / 2 : size;
    this.#complex = smoothFactors(points) ? new MixedRadixFft(points) : new BluesteinFft(points);
    this.#bufA = new Float64Array(points);
    this.#bufB = new Float64Array(points);
    if (even) {
      this.#twRe = Float64Array.from({ length: this.bins }, (_, k) => Math.cos((2 * Math.PI * k) / size));
      this.#twIm = Float64Array.from({ length: this.bins }, (_, k) => -Math.sin((2 * Math.PI * k) / size));
    }
  }

  /**
   * Transforms `input` (length `size`) into the real and imaginary parts of bins 0..bins-1.
   *
   * @param input The real signal (a frame, already windowed).
   * @param re Receives the real parts; length >= `bins`.
   * @param im Receives the imaginary parts; length >= `bins`.
   */
  transform(input: ArrayLike<number>, re: Float64Array, im: Float64Array): void {
    const n = this.size;
    const a = this.#bufA;
    const b = this.#bufB;
    if (this.#pow2) {
      for (let t = 0; t < n; t++) a[t] = input[t]!;
      this.#pow2.realTransform(b, a);
      for (let k = 0; k < this.bins; k++) {
        re[k] = b[2 * k]!;
        im[k] = b[2 * k + 1]!;
      }
      return;
    }
    const twRe = this.#twRe;
    const twIm = this.#twIm;
    if (twRe === undefined || twIm === undefined) {
      for (let t = 0; t < n; t++) a[t] = input[t]!;
      b.fill(0);
      this.#complex!.transform(a, b);
      re.set(a.subarray(0, this.bins));
      im.set(b.subarray(0, this.bins));
      return;
    }
    // z[j] = x[2j] + i x[2j+1]; Z = DFT_{n/2}(z); X[k] = E[k] + e^{-2 pi i k/n} O[k] with
    // E = (Z[k] + conj Z[h-k]) / 2 and O = (Z[k] - conj Z[h-k]) / 2i (indices mod h = n/2).
    const h = n / 2;
    for (let j = 0; j < h; j++) {
      a[j] = input[2 * j]!;
      b[j] = input[2 * j + 1]!;
    }
    this.#complex!.transform(a, b);
    re[0] = a[0]! + b[0]!;
    im[0] = 0;
    re[h] = a[0]! - b[0]!;
    im[h] = 0;
    for (let k = 1; k < h; k++) {
      const zr = a[k]!;
      const zi = b[k]!;
      const cr = a[h - k]!;
      const ci = -b[h - k]!;
      const er = 0.5 * (zr + cr);
      const ei = 0.5 * (zi + ci);
      const or = 0.5 * (zi - ci); // (Z - conj Z') / 2i: real part = Im(Z - conj Z') / 2
      const oi = 0.5 * (cr - zr);
      const wr = twRe[k]!;
      const wi = twIm[k]!;
      re[k] = er + (or * wr - oi * wi);
      im[k] = ei + (or * wi + oi * wr);
    }
  }
}
