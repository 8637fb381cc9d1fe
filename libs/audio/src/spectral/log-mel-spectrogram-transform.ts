import { checkChoice, checkNumber } from '../options/check-options.js';
import { powerToDbInPlace } from './power-to-db-in-place.js';
import { MEL_KERNELS, MelSpectrogramTransform } from './mel-spectrogram-transform.js';
import type { MelKernel, MelSpectrogramConfig, MelSpectrogramOptions } from './mel-spectrogram-transform.js';
import type { Spectrogram } from './spectrogram.js';
import { SpectrogramTransform } from './spectrogram-transform.js';
import { WasmMelKernel } from './wasm-mel-kernel.js';

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
 * The usual input feature of audio models. With `kernel: 'wasm'` (the default) and supported
 * settings, the mel product and the dB conversion run fused in one WebAssembly SIMD call per clip.
 *
 * @example
 * const logMel = new LogMelSpectrogramTransform({ nFft: 400, hopLength: 160, nMels: 64, topDb: 80 });
 * const feats = logMel.apply(clip.channels[0]); // [frames, 64] dB values
 */
export class LogMelSpectrogramTransform {
  readonly config: LogMelSpectrogramConfig;
  readonly #mel: MelSpectrogramTransform;
  /** The fused float32 SIMD path (mel and dB in one call), when `kernel` is `'wasm'` and supported. */
  readonly #wasm: WasmMelKernel | undefined;
  readonly #stft: SpectrogramTransform;

  /** @param options Mel and dB settings (see {@link LogMelSpectrogramOptions}); ConfigError when invalid. */
  constructor(options: LogMelSpectrogramOptions = {}) {
    const op = 'audio.LogMelSpectrogramTransform';
    const { amin = 1e-10, topDb = null, ...mel } = options;
    checkNumber(op, 'amin', amin, { min: 0, minExclusive: true });
    if (topDb !== null) checkNumber(op, 'topDb', topDb, { min: 0 });
    this.#mel = new MelSpectrogramTransform({ ...mel, kernel: 'js' });
    this.config = { ...this.#mel.config, kernel: mel.kernel ?? 'wasm', amin, topDb };
    checkChoice(op, 'kernel', this.config.kernel, MEL_KERNELS);
    this.#stft = new SpectrogramTransform(this.config);
    const db = { multiplier: 10, amin, offset: this.#offset() };
    if (this.config.kernel === 'wasm' && WasmMelKernel.supports(this.config, db)) {
      this.#wasm = new WasmMelKernel({ ...this.config, nFreqs: this.#stft.bins }, db);
    }
  }

  /** The kernel in use: `'wasm'` when asked for and supported, else `'js'`. */
  get activeKernel(): MelKernel {
    return this.#wasm === undefined ? 'js' : 'wasm';
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
    if (this.#wasm !== undefined) {
      const frames = this.#stft.frameCount(samples.length);
      return { data: this.#wasm.apply(samples, frames, this.config.topDb), frames, bins: this.config.nMels };
    }
    const mel = this.#mel.apply(samples); // a fresh array: converted in place
    powerToDbInPlace(mel.data, 10, this.config.amin, this.#offset(), this.config.topDb);
    return mel;
  }

  /** The dB offset, 10 log10(max(amin, ref = 1)). */
  #offset(): number {
    return 10 * Math.log10(Math.max(this.config.amin, 1));
  }

  /** The plain-JSON settings, to rebuild the same transform. */
  getConfig(): LogMelSpectrogramConfig {
    return { ...this.config };
  }
}
