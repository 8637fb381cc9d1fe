import { melFilterBank, resolveMelFilterBankOptions } from './mel-filter-bank.js';
import type { MelFilterBankConfig, MelFilterBankOptions } from './mel-filter-bank.js';
import type { Spectrogram } from './spectrogram.js';
import { SpectrogramTransform, resolveSpectrogramOptions } from './spectrogram-transform.js';
import type { SpectrogramConfig, SpectrogramOptions } from './spectrogram-transform.js';

/** Options of {@link MelSpectrogramTransform}: the STFT's and the filter bank's (defaults: torchaudio's). */
export interface MelSpectrogramOptions extends SpectrogramOptions, Omit<MelFilterBankOptions, 'nFreqs'> {}

/** {@link MelSpectrogramOptions} with every default filled in: plain JSON, saved with a model. */
export type MelSpectrogramConfig = SpectrogramConfig & Omit<MelFilterBankConfig, 'nFreqs'>;

/**
 * The mel spectrogram of a mono signal (power spectrogram times a mel filter bank), matching
 * `torchaudio.transforms.MelSpectrogram` with the same options. The filters are applied sparsely
 * (each band only over its non-zero bins). Build once, apply to every clip.
 *
 * @example
 * const mel = new MelSpectrogramTransform({ sampleRate: 16_000, nFft: 400, hopLength: 160, nMels: 80 });
 * mel.apply(samples); // [frames, 80]
 */
export class MelSpectrogramTransform {
  readonly config: MelSpectrogramConfig;
  readonly #stft: SpectrogramTransform;
  /** Band m covers bins first[m]..first[m] + (offset[m + 1] - offset[m]) - 1 with weights[offset[m]..]. */
  readonly #first: Int32Array;
  readonly #offset: Int32Array;
  readonly #weights: Float64Array;

  /** @param options STFT and mel settings (see {@link MelSpectrogramOptions}); ConfigError when invalid. */
  constructor(options: MelSpectrogramOptions = {}) {
    const op = 'audio.MelSpectrogramTransform';
    const stft = resolveSpectrogramOptions(options, op);
    const nFreqs = Math.floor(stft.nFft / 2) + 1;
    const { nFreqs: _, ...mel } = resolveMelFilterBankOptions({ ...options, nFreqs }, op);
    this.config = { ...stft, ...mel };
    this.#stft = new SpectrogramTransform(stft);
    const fb = melFilterBank({ ...mel, nFreqs });
    const bands = Array.from({ length: mel.nMels }, (_, m) => {
      const column = Float64Array.from({ length: nFreqs }, (_, f) => fb.weights[f * mel.nMels + m]!);
      let first = column.findIndex((w) => w !== 0);
      if (first < 0) first = 0;
      let end = nFreqs;
      while (end > first && column[end - 1] === 0) end--;
      return { first, weights: column.slice(first, end) };
    });
    this.#first = Int32Array.from(bands, (b) => b.first);
    this.#offset = new Int32Array(mel.nMels + 1);
    bands.forEach((b, m) => (this.#offset[m + 1] = this.#offset[m]! + b.weights.length));
    this.#weights = new Float64Array(this.#offset[mel.nMels]!);
    bands.forEach((b, m) => this.#weights.set(b.weights, this.#offset[m]));
  }

  /** Mel bands per frame. */
  get bins(): number {
    return this.config.nMels;
  }

  /**
   * The mel spectrogram of one channel.
   *
   * @param samples The signal.
   * @returns `[frames, nMels]` mel power values.
   */
  apply(samples: Float32Array): Spectrogram {
    const nMels = this.config.nMels;
    const first = this.#first;
    const offset = this.#offset;
    const weights = this.#weights;
    const data = new Float32Array(this.#stft.frameCount(samples.length) * nMels);
    const frames = this.#stft.forEachFrame(samples, (f, power) => {
      const row = f * nMels;
      for (let m = 0; m < nMels; m++) {
        const end = offset[m + 1]!;
        let acc = 0;
        for (let i = offset[m]!, k = first[m]!; i < end; i++, k++) acc += weights[i]! * power[k]!;
        data[row + m] = acc;
      }
    });
    return { data, frames, bins: nMels };
  }

  /** The plain-JSON settings, to rebuild the same transform. */
  getConfig(): MelSpectrogramConfig {
    return { ...this.config };
  }
}
