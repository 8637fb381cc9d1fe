import { checkChoice, checkNumber } from '../options/check-options.js';
import { padSignal } from './pad-signal.js';
import { RealFft } from './real-fft.js';
import type { Spectrogram } from './spectrogram.js';
import { WINDOW_KINDS, windowFunction } from './window-function.js';
import type { WindowKind } from './window-function.js';

/** Options of {@link SpectrogramTransform}; defaults are torchaudio.transforms.Spectrogram's. */
export interface SpectrogramOptions {
  /** FFT size; the output has floor(nFft / 2) + 1 bins. Default 400. */
  nFft?: number;
  /** Window length, <= nFft; the window is centred in the frame and zero-padded. Default nFft. */
  winLength?: number;
  /** Samples between frames. Default floor(winLength / 2). */
  hopLength?: number;
  /** Analysis window (periodic). Default `'hann'`. */
  window?: WindowKind;
  /** Zeros added on both sides of the signal first (torchaudio's `pad`). Default 0. */
  pad?: number;
  /** Pad nFft / 2 samples on both sides so frame t is centred at t * hopLength. Default true. */
  center?: boolean;
  /** How `center` pads: `'reflect'` (mirror, without repeating the edge) or `'constant'` (zeros). Default `'reflect'`. */
  padMode?: 'reflect' | 'constant';
  /** Exponent of the magnitude: 2 for power, 1 for magnitude. Default 2. */
  power?: number;
  /** Scale the spectrum by 1 / sqrt(sum of window^2) (`'window'`) or 1 / sqrt(nFft) (`'frame-length'`). Default false. */
  normalized?: false | 'window' | 'frame-length';
}

/** {@link SpectrogramOptions} with every default filled in: plain JSON, saved with a model. */
export type SpectrogramConfig = Required<SpectrogramOptions>;

/**
 * The short-time Fourier transform power (or magnitude) spectrogram of a mono signal, computed in
 * JS with fft.js and matching `torchaudio.transforms.Spectrogram` with the same options. The plan
 * (window, FFT twiddles, buffers) is made once; reuse the transform for every clip.
 *
 * @example
 * const stft = new SpectrogramTransform({ nFft: 512, hopLength: 160 });
 * const spec = stft.apply(clip.channels[0]); // [frames, 257], frames = 1 + floor(length / 160)
 */
export class SpectrogramTransform {
  readonly config: SpectrogramConfig;
  readonly #fft: RealFft;
  /** The window centred in an nFft-point frame, zeros around it. */
  readonly #frameWindow: Float64Array;
  readonly #scale: number;
  /** The padded signal of the last call, reused when the next one has the same length. */
  #signal: Float32Array = new Float32Array(0);
  #power: Float64Array;

  /** @param options STFT settings (see {@link SpectrogramOptions}); ConfigError when invalid. */
  constructor(options: SpectrogramOptions = {}) {
    this.config = resolveSpectrogramOptions(options);
    const { nFft, winLength, window, power, normalized } = this.config;
    this.#fft = new RealFft(nFft);
    const w = windowFunction(window, winLength);
    this.#frameWindow = new Float64Array(nFft);
    this.#frameWindow.set(w, Math.floor((nFft - winLength) / 2));
    this.#power = new Float64Array(this.#fft.bins);
    const energy = w.reduce((s, v) => s + v * v, 0);
    const amplitude = normalized === 'window' ? 1 / Math.sqrt(energy) : normalized === 'frame-length' ? 1 / Math.sqrt(nFft) : 1;
    this.#scale = amplitude ** power;
  }

  /** Output bins: floor(nFft / 2) + 1. */
  get bins(): number {
    return this.#fft.bins;
  }

  /** Frames produced for a signal of `length` samples. */
  frameCount(length: number): number {
    const { nFft, hopLength, center, pad } = this.config;
    const padded = length + 2 * pad + (center ? 2 * Math.floor(nFft / 2) : 0);
    return padded < nFft ? 0 : 1 + Math.floor((padded - nFft) / hopLength);
  }

  /**
   * The spectrogram of one channel.
   *
   * @param samples The signal.
   * @returns `[frames, bins]` power (or magnitude^power) values.
   */
  apply(samples: Float32Array): Spectrogram {
    const bins = this.bins;
    const data = new Float32Array(this.frameCount(samples.length) * bins);
    const frames = this.forEachFrame(samples, (f, values) => data.set(values, f * bins));
    return { data, frames, bins };
  }

  /**
   * Computes the frames one at a time and hands each to `visit`, so features built on the
   * spectrogram (mel bands) need not store it whole.
   *
   * @param samples The signal.
   * @param visit Called with the frame index and its `bins` values (power or magnitude^power), in
   *   float64; the array is reused for the next frame, so copy what you keep.
   * @returns The number of frames.
   * @example
   * const energy: number[] = [];
   * stft.forEachFrame(samples, (f, power) => { energy[f] = power.reduce((s, v) => s + v, 0); });
   */
  forEachFrame(samples: Float32Array, visit: (frame: number, values: Float64Array) => void): number {
    const { hopLength, power } = this.config;
    const bins = this.bins;
    const frames = this.frameCount(samples.length);
    const signal = this.#paddedSignal(samples);
    const window = this.#frameWindow;
    const out = this.#power;
    const fft = this.#fft;
    const scale = this.#scale;
    const half = power / 2;
    for (let f = 0; f < frames; f++) {
      if (power === 2) fft.powerSpectrum(signal, f * hopLength, window, out, scale);
      else {
        fft.powerSpectrum(signal, f * hopLength, window, out, 1);
        for (let k = 0; k < bins; k++) out[k] = out[k]! ** half * scale;
      }
      visit(f, out);
    }
    return frames;
  }

  /** The plain-JSON settings, to rebuild the same transform with `new SpectrogramTransform(config)`. */
  getConfig(): SpectrogramConfig {
    return { ...this.config };
  }

  /** The signal with `pad` zeros, then (with `center`) nFft / 2 reflected or zero samples, on both sides. */
  #paddedSignal(samples: Float32Array): Float32Array {
    const { nFft, pad, center, padMode } = this.config;
    const c = center ? Math.floor(nFft / 2) : 0;
    const length = samples.length + 2 * (pad + c);
    if (this.#signal.length !== length) this.#signal = new Float32Array(length);
    padSignal(samples, this.#signal, pad, c, padMode === 'reflect');
    return this.#signal;
  }
}

/** Fills in and checks the defaults of {@link SpectrogramOptions}. */
export function resolveSpectrogramOptions(options: SpectrogramOptions, op = 'audio.SpectrogramTransform'): SpectrogramConfig {
  const nFft = checkNumber(op, 'nFft', options.nFft ?? 400, { min: 2, integer: true });
  const winLength = checkNumber(op, 'winLength', options.winLength ?? nFft, { min: 1, max: nFft, integer: true });
  return {
    nFft,
    winLength,
    hopLength: checkNumber(op, 'hopLength', options.hopLength ?? Math.max(1, Math.floor(winLength / 2)), { min: 1, integer: true }),
    window: checkChoice(op, 'window', options.window ?? 'hann', WINDOW_KINDS),
    pad: checkNumber(op, 'pad', options.pad ?? 0, { min: 0, integer: true }),
    center: checkChoice(op, 'center', options.center ?? true, [true, false]),
    padMode: checkChoice(op, 'padMode', options.padMode ?? 'reflect', ['reflect', 'constant'] as const),
    power: checkNumber(op, 'power', options.power ?? 2, { min: 0, minExclusive: true }),
    normalized: checkChoice(op, 'normalized', options.normalized ?? false, [false, 'window', 'frame-length'] as const),
  };
}
