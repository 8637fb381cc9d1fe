import { LogMelSpectrogramTransform, audioAugmentationFromConfig, fitDuration, loadWav } from '@omnitrain/audio';
import type { AudioAugmentation, AudioClip, Spectrogram } from '@omnitrain/audio';
import type { Rng } from '@omnitrain/core';
import type { FeaturesConfig } from './features-config.js';

/**
 * Turns WAV files into model inputs: decoded once (mono, resampled to `sampleRate`, cut or padded to
 * `durationSec`) and cached; per call, waveform augmentations (training only), the log-mel
 * spectrogram of @omnitrain/audio, spectrogram augmentations (training only) and per-clip
 * normalization.
 *
 * @example
 * const audio = new AudioFeaturizer(parseFeaturesConfig({}).audio);
 * audio.shape; // [63, 32, 1]: frames, mels, one channel
 * const x = await audio.features('digits/audio/7-0001.wav'); // Float32Array(63 * 32)
 */
export class AudioFeaturizer {
  /** `[frames, mels, 1]` of one sample's features. */
  readonly shape: readonly [number, number, 1];
  readonly #config: FeaturesConfig['audio'];
  readonly #logMel: LogMelSpectrogramTransform;
  readonly #waveform: AudioAugmentation<'waveform'>[] = [];
  readonly #spectrogram: AudioAugmentation<'spectrogram'>[] = [];
  readonly #decoded = new Map<string, Promise<AudioClip>>();
  readonly #plain = new Map<string, Promise<Float32Array>>();

  /**
   * @param config The `audio` section of a features config.
   * @throws ConfigError when an augmentation kind is unknown or a setting is invalid.
   */
  constructor(config: FeaturesConfig['audio']) {
    this.#config = config;
    const { sampleRate, nFft, hopLength, nMels, topDb } = config;
    this.#logMel = new LogMelSpectrogramTransform({ sampleRate, nFft, hopLength, nMels, topDb });
    for (const c of config.augment) {
      const a = audioAugmentationFromConfig(c);
      if (a.domain === 'waveform') this.#waveform.push(a as AudioAugmentation<'waveform'>);
      else this.#spectrogram.push(a as AudioAugmentation<'spectrogram'>);
    }
    const frames = this.#logMel.apply(new Float32Array(this.#length)).frames;
    this.shape = [frames, nMels, 1];
  }

  /** Whether {@link features} changes with the random stream (augmentations are configured). */
  get augments(): boolean {
    return this.#waveform.length + this.#spectrogram.length > 0;
  }

  get #length(): number {
    return Math.round(this.#config.durationSec * this.#config.sampleRate);
  }

  /**
   * The decoded clip of `path`: mono, at `sampleRate`, `durationSec` long; cached.
   *
   * @throws DataError naming the file when it is missing, truncated or not a supported WAV.
   */
  decode(path: string): Promise<AudioClip> {
    let decoded = this.#decoded.get(path);
    if (!decoded) {
      decoded = loadWav(path, { mono: true, sampleRate: this.#config.sampleRate }).then((clip) =>
        fitDuration(clip, this.#config.durationSec),
      );
      this.#decoded.set(path, decoded);
    }
    return decoded;
  }

  /**
   * The log-mel features of a clip already decoded (no augmentation): `[frames, mels]` values,
   * normalized as configured.
   *
   * @param samples One channel at `sampleRate`.
   */
  logMel(samples: Float32Array): Float32Array {
    return this.#normalize(this.#logMel.apply(samples)).data;
  }

  /**
   * The features of `path`: `[frames, mels]` log-mel values; augmented when `rng` is given.
   *
   * @param path The WAV file.
   * @param rng The augmentation stream (training); omit for the plain features (cached).
   * @throws DataError naming the file when it cannot be decoded.
   */
  async features(path: string, rng?: Rng): Promise<Float32Array> {
    if (rng === undefined || !this.augments) {
      let plain = this.#plain.get(path);
      if (!plain) {
        plain = this.decode(path).then((clip) => this.logMel(clip.channels[0]!));
        this.#plain.set(path, plain);
      }
      return plain;
    }
    let clip = await this.decode(path);
    for (const a of this.#waveform) clip = a.apply(clip, rng);
    if (clip.channels[0]!.length !== this.#length) clip = fitDuration(clip, this.#config.durationSec);
    let spec = this.#logMel.apply(clip.channels[0]!);
    for (const a of this.#spectrogram) spec = a.apply(spec, rng);
    return this.#normalize(spec).data;
  }

  #normalize(spec: Spectrogram): Spectrogram {
    if (this.#config.normalize === 'none') return spec;
    const { data } = spec;
    let mean = 0;
    for (const v of data) mean += v;
    mean /= data.length;
    let variance = 0;
    for (const v of data) variance += (v - mean) ** 2;
    const scale = 1 / Math.sqrt(variance / data.length + 1e-6);
    return { ...spec, data: Float32Array.from(data, (v) => (v - mean) * scale) };
  }
}
