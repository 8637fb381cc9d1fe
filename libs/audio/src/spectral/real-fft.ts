import { checkNumber } from '../options/check-options.js';
import { BluesteinFft } from './bluestein-fft.js';
import { MixedRadixFft, smoothFactors } from './mixed-radix-fft.js';

/** An in-place complex DFT on split arrays. */
interface ComplexFft {
  transform(re: Float64Array, im: Float64Array): void;
}

/**
 * The DFT of real signals of a fixed size n >= 2, bins 0..floor(n/2) (the rest mirror them): for
 * even n, one complex DFT of n/2 points on the even/odd samples packed as real/imaginary parts,
 * then one split pass; for odd n, a complex DFT of n points. Complex DFTs of sizes whose prime
 * factors are <= 13 (256 for nFft 512, 200 for nFft 400) use a mixed-radix (radix-4 first)
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
  readonly #complex: ComplexFft;
  /** The complex DFT's real and imaginary parts (n/2 points for even n, n for odd n). */
  readonly #a: Float64Array;
  readonly #b: Float64Array;
  /** Even n only: the twiddles e^{-2 pi i k / n}, k = 0..n/2. */
  readonly #twRe: Float64Array | undefined;
  readonly #twIm: Float64Array | undefined;

  /** @param size Points of the transform, an integer >= 2. */
  constructor(size: number) {
    checkNumber('audio.RealFft', 'size', size, { min: 2, integer: true });
    this.size = size;
    this.bins = Math.floor(size / 2) + 1;
    const even = size % 2 === 0;
    const points = even ? size / 2 : size;
    this.#complex = points === 1 ? { transform: () => undefined } : smoothFactors(points) ? new MixedRadixFft(points) : new BluesteinFft(points);
    this.#a = new Float64Array(points);
    this.#b = new Float64Array(points);
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
    this.#pack(input);
    this.#complex.transform(this.#a, this.#b);
    const bins = this.bins;
    const a = this.#a;
    const b = this.#b;
    const twRe = this.#twRe;
    const twIm = this.#twIm;
    if (twRe === undefined || twIm === undefined) {
      for (let k = 0; k < bins; k++) {
        re[k] = a[k]!;
        im[k] = b[k]!;
      }
      return;
    }
    // z[j] = x[2j] + i x[2j+1]; Z = DFT_{n/2}(z); X[k] = E[k] + e^{-2 pi i k/n} O[k] with
    // E = (Z[k] + conj Z[h-k]) / 2 and O = (Z[k] - conj Z[h-k]) / 2i (indices mod h = n/2).
    const h = bins - 1;
    re[0] = a[0]! + b[0]!;
    im[0] = 0;
    re[h] = a[0]! - b[0]!;
    im[h] = 0;
    for (let k = 1; k < h; k++) {
      const zr = a[k]!, zi = b[k]!, cr = a[h - k]!, ci = -b[h - k]!;
      const er = 0.5 * (zr + cr), ei = 0.5 * (zi + ci);
      const or = 0.5 * (zi - ci), oi = 0.5 * (cr - zr);
      const wr = twRe[k]!, wi = twIm[k]!;
      re[k] = er + (or * wr - oi * wi);
      im[k] = ei + (or * wi + oi * wr);
    }
  }

  /**
   * The power spectrum `scale * |DFT(signal[offset + t] * window[t])|^2`, t = 0..size-1, in one
   * pass (windowing folded into the packing, no intermediate spectrum): the STFT's inner loop.
   *
   * @param signal The signal; reads `size` samples from `offset`.
   * @param offset First sample of the frame.
   * @param window `size` weights (zeros where a shorter window is padded).
   * @param out Receives `bins` values.
   * @param scale Factor applied to every value.
   * @example
   * const fft = new RealFft(512), power = new Float64Array(fft.bins);
   * fft.powerSpectrum(signal, 160 * frame, windowFunction('hann', 512), power, 1);
   */
  powerSpectrum(signal: Float32Array, offset: number, window: Float64Array, out: Float64Array, scale: number): void {
    const a = this.#a;
    const b = this.#b;
    const points = a.length;
    if (this.#twRe !== undefined) {
      for (let j = 0, t = offset; j < points; j++, t += 2) {
        a[j] = signal[t]! * window[t - offset]!;
        b[j] = signal[t + 1]! * window[t - offset + 1]!;
      }
    } else {
      for (let t = 0; t < points; t++) {
        a[t] = signal[offset + t]! * window[t]!;
        b[t] = 0;
      }
    }
    this.#complex.transform(a, b);
    const bins = this.bins;
    const twRe = this.#twRe;
    const twIm = this.#twIm;
    if (twRe === undefined || twIm === undefined) {
      for (let k = 0; k < bins; k++) out[k] = (a[k]! * a[k]! + b[k]! * b[k]!) * scale;
      return;
    }
    const h = bins - 1;
    const dc = a[0]! + b[0]!;
    const ny = a[0]! - b[0]!;
    out[0] = dc * dc * scale;
    out[h] = ny * ny * scale;
    // Bins k and h - k share Z[k] and Z[h - k]: E[h-k] = conj E[k], O[h-k] = conj O[k].
    const s = 0.25 * scale;
    for (let k = 1, j = h - 1; k <= j; k++, j--) {
      const zr = a[k]!, zi = b[k]!, cr = a[j]!, cim = b[j]!;
      const er = zr + cr, ei = zi - cim; // 2 E[k]
      const or = zi + cim, oi = cr - zr; // 2 O[k]
      const wr = twRe[k]!, wi = twIm[k]!;
      const xr = er + (or * wr - oi * wi);
      const xi = ei + (or * wi + oi * wr);
      out[k] = (xr * xr + xi * xi) * s;
      if (j !== k) {
        // 2 X[j] = conj(2E[k]) + w_j conj(2O[k]), with w_j = -conj(w_k)
        const vr = twRe[j]!, vi = twIm[j]!;
        const yr = er + (or * vr + oi * vi);
        const yi = -ei + (or * vi - oi * vr);
        out[j] = (yr * yr + yi * yi) * s;
      }
    }
  }

  /** Packs a frame into the complex buffers (even/odd samples as real/imaginary parts for even n). */
  #pack(signal: ArrayLike<number>): void {
    const a = this.#a;
    const b = this.#b;
    const points = a.length;
    if (this.#twRe !== undefined) {
      for (let j = 0; j < points; j++) {
        a[j] = signal[2 * j]!;
        b[j] = signal[2 * j + 1]!;
      }
    } else {
      for (let t = 0; t < points; t++) a[t] = signal[t]!;
      b.fill(0);
    }
  }
}
