import { checkChoice, checkNumber } from '../options/check-options.js';
import { amplitudeToDb } from './amplitude-to-db.js';
import { dctMatrix } from './dct-matrix.js';
import { MelSpectrogramTransform } from './mel-spectrogram-transform.js';
import type { MelKernel, MelSpectrogramConfig, MelSpectrogramOptions } from './mel-spectrogram-transform.js';
import type { Spectrogram } from './spectrogram.js';

/** Options of {@link MfccTransform}; defaults are torchaudio.transforms.MFCC's. */
export interface MfccOptions extends MelSpectrogramOptions {
  /** Coefficients per frame, <= nMels. Default 40. */
  nMfcc?: number;
  /** DCT normalization. Default `'ortho'`. */
  dctNorm?: 'ortho' | null;
  /** Use ln(mel + 1e-6) instead of dB with an 80 dB range. Default false. */
  logMels?: boolean;
}

/** {@link MfccOptions} with every default filled in. */
export type MfccConfig = MelSpectrogramConfig & { nMfcc: number; dctNorm: 'ortho' | null; logMels: boolean };

/**
 * Mel-frequency cepstral coefficients, as `torchaudio.transforms.MFCC`: the mel spectrogram, in dB
 * floored 80 dB below its maximum (or ln(mel + 1e-6) with `logMels`), times a DCT-II matrix.
 *
 * @example
 * const mfcc = new MfccTransform({ sampleRate: 16_000, nMfcc: 13, nFft: 400, hopLength: 160, nMels: 40 });
 * mfcc.apply(samples); // [frames, 13]
 */
export class MfccTransform {
  readonly config: MfccConfig;
  readonly #mel: MelSpectrogramTransform;
  readonly #dct: Float64Array;

  /** @param options MFCC and mel settings (see {@link MfccOptions}); ConfigError when invalid. */
  constructor(options: MfccOptions = {}) {
    const op = 'audio.MfccTransform';
    const { nMfcc = 40, dctNorm = 'ortho', logMels = false, ...mel } = options;
    this.#mel = new MelSpectrogramTransform(mel);
    checkNumber(op, 'nMfcc', nMfcc, { min: 1, max: this.#mel.config.nMels, integer: true });
    checkChoice(op, 'dctNorm', dctNorm, ['ortho', null] as const);
    checkChoice(op, 'logMels', logMels, [true, false]);
    this.config = { ...this.#mel.config, nMfcc, dctNorm, logMels };
    this.#dct = dctMatrix(nMfcc, this.#mel.config.nMels, dctNorm);
  }

  /** The mel kernel in use: `'wasm'` when asked for and supported, else `'js'`. */
  get activeKernel(): MelKernel {
    return this.#mel.activeKernel;
  }

  /** Coefficients per frame. */
  get bins(): number {
    return this.config.nMfcc;
  }

  /**
   * The MFCCs of one channel.
   *
   * @param samples The signal.
   * @returns `[frames, nMfcc]`.
   */
  apply(samples: Float32Array): Spectrogram {
    const mel = this.#mel.apply(samples);
    const logMel = this.config.logMels ? naturalLog(mel) : amplitudeToDb(mel, { topDb: 80 });
    const { nMfcc } = this.config;
    const nMels = mel.bins;
    const dct = this.#dct;
    const data = new Float32Array(mel.frames * nMfcc);
    for (let f = 0; f < mel.frames; f++) {
      for (let k = 0; k < nMfcc; k++) {
        let acc = 0;
        for (let n = 0; n < nMels; n++) acc += logMel.data[f * nMels + n]! * dct[n * nMfcc + k]!;
        data[f * nMfcc + k] = acc;
      }
    }
    return { data, frames: mel.frames, bins: nMfcc };
  }

  /** The plain-JSON settings, to rebuild the same transform. */
  getConfig(): MfccConfig {
    return { ...this.config };
  }
}

function naturalLog(spec: Spectrogram): Spectrogram {
  return { ...spec, data: spec.data.map((v) => Math.log(v + 1e-6)) };
}
