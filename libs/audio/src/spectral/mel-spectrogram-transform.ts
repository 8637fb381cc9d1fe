import { checkChoice } from '../options/check-options.js';
import { melFilterBank, resolveMelFilterBankOptions } from './mel-filter-bank.js';
import type { MelFilterBankConfig, MelFilterBankOptions } from './mel-filter-bank.js';
import type { Spectrogram } from './spectrogram.js';
import { SpectrogramTransform, resolveSpectrogramOptions } from './spectrogram-transform.js';
import type { SpectrogramConfig, SpectrogramOptions } from './spectrogram-transform.js';
import { sparseMelBands } from './sparse-mel-bands.js';
import { WasmMelKernel } from './wasm-mel-kernel.js';

/** How the mel transforms compute: `'wasm'` (float32 SIMD kernel) or `'js'` (float64). */
export type MelKernel = 'wasm' | 'js';

/** The kernels the mel transforms know. */
export const MEL_KERNELS: readonly MelKernel[] = ['wasm', 'js'];

/** Options of {@link MelSpectrogramTransform}: the STFT's and the filter bank's (defaults: torchaudio's). */
export interface MelSpectrogramOptions extends SpectrogramOptions, Omit<MelFilterBankOptions, 'nFreqs'> {
  /**
   * `'wasm'`: the float32 WebAssembly SIMD kernel (4 frames per instruction, ~1e-6 relative to the
   * float64 path), used when it supports the settings (nFft a multiple of 4 whose half has no prime
   * factor above 5, power 1 or 2), else the JS path; `'js'`: the float64 JS path. Default `'wasm'`.
   */
  kernel?: MelKernel;
}

/** {@link MelSpectrogramOptions} with every default filled in: plain JSON, saved with a model. */
export type MelSpectrogramConfig = SpectrogramConfig & Omit<MelFilterBankConfig, 'nFreqs'> & { kernel: MelKernel };

/**
 * The mel spectrogram of a mono signal (power spectrogram times a mel filter bank), matching
 * `torchaudio.transforms.MelSpectrogram` with the same options. The filters are applied sparsely
 * (each band only over its non-zero bins). Runs on the float32 WebAssembly SIMD kernel when the
 * settings allow (see `kernel` and {@link MelSpectrogramTransform.activeKernel}), else in float64 JS.
 * Build once, apply to every clip.
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
  readonly #wasm: WasmMelKernel | undefined;

  /** @param options STFT and mel settings (see {@link MelSpectrogramOptions}); ConfigError when invalid. */
  constructor(options: MelSpectrogramOptions = {}) {
    const op = 'audio.MelSpectrogramTransform';
    const { kernel = 'wasm', ...rest } = options;
    checkChoice(op, 'kernel', kernel, MEL_KERNELS);
    const stft = resolveSpectrogramOptions(rest, op);
    const nFreqs = Math.floor(stft.nFft / 2) + 1;
    const { nFreqs: _, ...mel } = resolveMelFilterBankOptions({ ...rest, nFreqs }, op);
    this.config = { ...stft, ...mel, kernel };
    this.#stft = new SpectrogramTransform(stft);
    const bands = sparseMelBands(melFilterBank({ ...mel, nFreqs }));
    this.#first = bands.first;
    this.#offset = bands.offset;
    this.#weights = bands.weights;
    if (kernel === 'wasm' && WasmMelKernel.supports(stft)) this.#wasm = new WasmMelKernel({ ...stft, ...mel, nFreqs }, null);
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
   * The mel spectrogram of one channel.
   *
   * @param samples The signal.
   * @returns `[frames, nMels]` mel power values.
   */
  apply(samples: Float32Array): Spectrogram {
    const nMels = this.config.nMels;
    if (this.#wasm !== undefined) {
      const frames = this.#stft.frameCount(samples.length);
      return { data: this.#wasm.apply(samples, frames, null), frames, bins: nMels };
    }
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
