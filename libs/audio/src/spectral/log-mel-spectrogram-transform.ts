import { checkNumber } from '../options/check-options.js';
import { powerToDbInPlace } from './power-to-db-in-place.js';
import { MelSpectrogramTransform } from './mel-spectrogram-transform.js';
import type { MelSpectrogramConfig, MelSpectrogramOptions } from './mel-spectrogram-transform.js';
import type { Spectrogram } from './spectrogram.js';

/** Options of {@link LogMelSpectrogramTransform}: the mel spectrogram's plus the dB conversion's. */
export interface LogMelSpectrogramOptions extends MelSpectrogramOptions {
  /** Floor of the mel power before the log. Default 1e-10. */
  amin?: number;
  /** Dynamic range kept below the clip's maximum, in dB; null keeps everything. Default null. */
  topDb?: number | null;
}

/** {@link LogMelSpectrogramOptions} with every default filled in. */
export type LogMelSpectrogramConfig = MelSpectrogramConfig & { amin: number; topDb: number | null };

/**
 * The log-mel spectrogram in dB, `10 log10(max(mel power, amin))` (floored at `topDb` below the
 * maximum when set): `torchaudio.transforms.MelSpectrogram` followed by `AmplitudeToDB('power')`.
 * The usual input feature of audio models.
 *
 * @example
 * const logMel = new LogMelSpectrogramTransform({ nFft: 400, hopLength: 160, nMels: 64, topDb: 80 });
 * const feats = logMel.apply(clip.channels[0]); // [frames, 64] dB values
 */
export class LogMelSpectrogramTransform {
  readonly config: LogMelSpectrogramConfig;
  readonly #mel: MelSpectrogramTransform;

  /** @param options Mel and dB settings (see {@link LogMelSpectrogramOptions}); ConfigError when invalid. */
  constructor(options: LogMelSpectrogramOptions = {}) {
    const op = 'audio.LogMelSpectrogramTransform';
    const { amin = 1e-10, topDb = null, ...mel } = options;
    checkNumber(op, 'amin', amin, { min: 0, minExclusive: true });
    if (topDb !== null) checkNumber(op, 'topDb', topDb, { min: 0 });
    this.#mel = new MelSpectrogramTransform(mel);
    this.config = { ...this.#mel.config, amin, topDb };
  }

  /** Mel bands per frame. */
  get bins(): number {
    return this.config.nMels;
  }

  /**
   * The log-mel spectrogram of one channel.
   *
   * @param samples The signal.
   * @returns `[frames, nMels]` values in dB.
   */
  apply(samples: Float32Array): Spectrogram {
    const mel = this.#mel.apply(samples); // a fresh array: converted in place
    powerToDbInPlace(mel.data, 10, this.config.amin, 10 * Math.log10(Math.max(this.config.amin, 1)), this.config.topDb);
    return mel;
  }

  /** The plain-JSON settings, to rebuild the same transform. */
  getConfig(): LogMelSpectrogramConfig {
    return { ...this.config };
  }
}
