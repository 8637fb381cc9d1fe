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
  /** Per band: first bin, and the weights of its non-zero run. */
  readonly #bands: Array<{ first: number; weights: Float64Array }>;

  /** @param options STFT and mel settings (see {@link MelSpectrogramOptions}); ConfigError when invalid. */
  constructor(options: MelSpectrogramOptions = {}) {
    const op = 'audio.MelSpectrogramTransform';
    const stft = resolveSpectrogramOptions(options, op);
    const nFreqs = Math.floor(stft.nFft / 2) + 1;
    const { nFreqs: _, ...mel } = resolveMelFilterBankOptions({ ...options, nFreqs }, op);
    this.config = { ...stft, ...mel };
    this.#stft = new SpectrogramTransform(stft);
    const fb = melFilterBank({ ...mel, nFreqs });
    this.#bands = Array.from({ length: mel.nMels }, (_, m) => {
      const column = Float64Array.from({ length: nFreqs }, (_, f) => fb.weights[f * mel.nMels + m]!);
      let first = column.findIndex((w) => w !== 0);
      if (first < 0) first = 0;
      let end = nFreqs;
      while (end > first && column[end - 1] === 0) end--;
      return { first, weights: column.slice(first, end) };
    });
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
    const bands = this.#bands;
    const data = new Float32Array(this.#stft.frameCount(samples.length) * nMels);
    const frames = this.#stft.forEachFrame(samples, (f, power) => {
      for (let m = 0; m < nMels; m++) {
        const { first, weights } = bands[m]!;
        let acc = 0;
        for (let k = 0; k < weights.length; k++) acc += weights[k]! * power[first + k]!;
        data[f * nMels + m] = acc;
      }
    });
    return { data, frames, bins: nMels };
  }

  /** The plain-JSON settings, to rebuild the same transform. */
  getConfig(): MelSpectrogramConfig {
    return { ...this.config };
  }
}
