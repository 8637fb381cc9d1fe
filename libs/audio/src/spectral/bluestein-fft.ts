import FFT from 'fft.js';

/**
 * A complex DFT of any size n >= 2 by Bluestein's chirp-z algorithm: the size-n DFT becomes a
 * circular convolution done with fft.js's power-of-two FFTs of size >= 2n - 1, so sizes with a
 * large prime factor (17, 34, 255, ...) cost O(n log n). Works in place on split real/imaginary
 * arrays. Internal to the spectral code (smooth sizes use {@link MixedRadixFft}).
 */
export class BluesteinFft {
  readonly size: number;
  readonly #fft: FFT;
  /** The chirp exp(-i pi k^2 / n), interleaved, length 2n. */
  readonly #chirp: Float64Array;
  /** FFT of the conjugate chirp, pre-divided by the padded size (folds the inverse's 1/M). */
  readonly #chirpSpectrum: Float64Array;
  readonly #a: Float64Array;
  readonly #b: Float64Array;

  /** @param size Points of the DFT, an integer >= 2. */
  constructor(size: number) {
    this.size = size;
    const padded = 2 ** Math.ceil(Math.log2(2 * size - 1));
    this.#fft = new FFT(padded);
    this.#a = new Float64Array(2 * padded);
    this.#b = new Float64Array(2 * padded);
    const chirp = new Float64Array(2 * size);
    for (let k = 0; k < size; k++) {
      // k^2 mod 2n keeps the angle small, so it stays exact for large k.
      const angle = (Math.PI * ((k * k) % (2 * size))) / size;
      chirp[2 * k] = Math.cos(angle);
      chirp[2 * k + 1] = -Math.sin(angle);
    }
    const b = this.#a;
    for (let k = 0; k < size; k++) {
      for (const at of k === 0 ? [0] : [k, padded - k]) {
        b[2 * at] = chirp[2 * k]! / padded;
        b[2 * at + 1] = -chirp[2 * k + 1]! / padded;
      }
    }
    this.#chirpSpectrum = new Float64Array(2 * padded);
    this.#fft.transform(this.#chirpSpectrum, b);
    b.fill(0);
    this.#chirp = chirp;
  }

  /** Replaces (re, im), each of length `size`, by their DFT. */
  transform(re: Float64Array, im: Float64Array): void {
    const { size: n } = this;
    const chirp = this.#chirp;
    const spectrum = this.#chirpSpectrum;
    const a = this.#a;
    const b = this.#b;
    for (let k = 0; k < n; k++) {
      const cr = chirp[2 * k]!;
      const ci = chirp[2 * k + 1]!;
      a[2 * k] = re[k]! * cr - im[k]! * ci;
      a[2 * k + 1] = re[k]! * ci + im[k]! * cr;
    }
    a.fill(0, 2 * n);
    this.#fft.transform(b, a);
    // Multiply by the chirp spectrum and conjugate, so a forward FFT computes the inverse.
    for (let k = 0; k < b.length; k += 2) {
      const br = b[k]!;
      const bi = b[k + 1]!;
      const sr = spectrum[k]!;
      const si = spectrum[k + 1]!;
      b[k] = br * sr - bi * si;
      b[k + 1] = -(br * si + bi * sr);
    }
    this.#fft.transform(a, b);
    for (let k = 0; k < n; k++) {
      const cr = a[2 * k]!;
      const ci = -a[2 * k + 1]!;
      const wr = chirp[2 * k]!;
      const wi = chirp[2 * k + 1]!;
      re[k] = cr * wr - ci * wi;
      im[k] = cr * wi + ci * wr;
    }
  }
}
