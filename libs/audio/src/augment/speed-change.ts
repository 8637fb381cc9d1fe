import { ConfigError } from '@omnitrain/core';
import type { Rng } from '@omnitrain/core';
import { checkConfig, checkRange } from '../options/check-options.js';
import { resample } from '../resample/resample.js';
import type { AudioClip } from '../wav/audio-clip.js';
import type { AudioAugmentation } from './audio-augmentation.js';

/** The config of {@link SpeedChange}. */
export type SpeedChangeConfig = { kind: 'speed'; minFactor: number; maxFactor: number };

/** Speed factors are multiples of this, so the polyphase filter of each factor is small (<= 100 phases) and cached. */
const STEPS = 100;

/**
 * Plays a clip faster or slower by a factor drawn uniformly among the multiples of 0.01 in
 * [minFactor, maxFactor], like `torchaudio.transforms.Speed` or sox `speed`: the clip is resampled
 * as if recorded at factor * sampleRate, so its length becomes length / factor and pitch moves
 * with speed. The sample rate is kept. Use `fitDuration` afterwards for a fixed length.
 *
 * @example new SpeedChange({ minFactor: 0.9, maxFactor: 1.1 }).apply(clip, rng) // 0.9x to 1.1x
 */
export class SpeedChange implements AudioAugmentation<'waveform'> {
  readonly kind = 'speed';
  readonly domain = 'waveform';
  readonly minFactor: number;
  readonly maxFactor: number;
  readonly #steps: [number, number];

  /** @param options `minFactor`, `maxFactor` in [0.1, 10] with a multiple of 0.01 between them. Defaults 0.9, 1.1. */
  constructor(options: { minFactor?: number; maxFactor?: number } = {}) {
    const op = 'audio.SpeedChange';
    const range = checkRange(op, ['minFactor', options.minFactor ?? 0.9], ['maxFactor', options.maxFactor ?? 1.1], { min: 0.1, max: 10 });
    [this.minFactor, this.maxFactor] = range;
    // The 1e-9 absorbs binary rounding: 1.1 * 100 = 110.00000000000001.
    this.#steps = [Math.ceil(this.minFactor * STEPS - 1e-9), Math.floor(this.maxFactor * STEPS + 1e-9)];
    if (this.#steps[0] > this.#steps[1]) {
      throw new ConfigError({
        op,
        expected: 'a multiple of 0.01 between minFactor and maxFactor',
        received: `minFactor=${this.minFactor}, maxFactor=${this.maxFactor}`,
      });
    }
  }

  /** Rebuilds it from {@link SpeedChange.getConfig}; ConfigError if malformed. */
  static fromConfig(config: unknown): SpeedChange {
    return new SpeedChange(checkConfig<SpeedChangeConfig>('audio.SpeedChange.fromConfig', config, 'speed', ['minFactor', 'maxFactor']));
  }

  apply(clip: AudioClip, rng: Rng): AudioClip {
    const steps = rng.int(this.#steps[0], this.#steps[1]);
    return { sampleRate: clip.sampleRate, channels: clip.channels.map((c) => resample(c, steps, STEPS)) };
  }

  getConfig(): SpeedChangeConfig {
    return { kind: 'speed', minFactor: this.minFactor, maxFactor: this.maxFactor };
  }
}
