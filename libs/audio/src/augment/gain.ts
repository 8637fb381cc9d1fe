import type { Rng } from '@omnitrain/core';
import { checkConfig, checkRange } from '../options/check-options.js';
import type { AudioClip } from '../wav/audio-clip.js';
import type { AudioAugmentation } from './audio-augmentation.js';

/** The config of {@link Gain}. */
export type GainConfig = { kind: 'gain'; minDb: number; maxDb: number };

/**
 * Multiplies a clip by a random gain drawn uniformly in dB (the same for every channel).
 *
 * @example new Gain({ minDb: -6, maxDb: 6 }).apply(clip, rng) // between half and twice the amplitude
 */
export class Gain implements AudioAugmentation<'waveform'> {
  readonly kind = 'gain';
  readonly domain = 'waveform';
  readonly minDb: number;
  readonly maxDb: number;

  /**
   * @param options `minDb`, `maxDb`: the range of the gain in dB (within ±120). Defaults -6, 6.
   */
  constructor(options: { minDb?: number; maxDb?: number } = {}) {
    const op = 'audio.Gain';
    [this.minDb, this.maxDb] = checkRange(op, ['minDb', options.minDb ?? -6], ['maxDb', options.maxDb ?? 6], { min: -120, max: 120 });
  }

  /** Rebuilds a gain from {@link Gain.getConfig}; ConfigError if malformed. */
  static fromConfig(config: unknown): Gain {
    return new Gain(checkConfig<GainConfig>('audio.Gain.fromConfig', config, 'gain', ['minDb', 'maxDb']));
  }

  apply(clip: AudioClip, rng: Rng): AudioClip {
    const db = this.minDb + (this.maxDb - this.minDb) * rng.float();
    const factor = 10 ** (db / 20);
    return { sampleRate: clip.sampleRate, channels: clip.channels.map((c) => c.map((v) => v * factor)) };
  }

  getConfig(): GainConfig {
    return { kind: 'gain', minDb: this.minDb, maxDb: this.maxDb };
  }
}
