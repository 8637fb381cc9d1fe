import type { Rng } from '@omnitrain/core';
import { checkConfig, checkRange } from '../options/check-options.js';
import type { AudioClip } from '../wav/audio-clip.js';
import type { AudioAugmentation } from './audio-augmentation.js';

/** The config of {@link NoiseAtSnr}. */
export type NoiseAtSnrConfig = { kind: 'noise'; minSnrDb: number; maxSnrDb: number };

/**
 * Adds white Gaussian noise at a signal-to-noise ratio drawn uniformly in dB. The noise is scaled
 * from its actual energy, so the SNR of the result (clip power over the power of what was added,
 * all channels together) is the drawn one exactly, not just on average. A silent clip is returned
 * unchanged (no SNR is defined for it).
 *
 * @example new NoiseAtSnr({ minSnrDb: 5, maxSnrDb: 20 }).apply(clip, rng)
 */
export class NoiseAtSnr implements AudioAugmentation<'waveform'> {
  readonly kind = 'noise';
  readonly domain = 'waveform';
  readonly minSnrDb: number;
  readonly maxSnrDb: number;

  /** @param options `minSnrDb`, `maxSnrDb`: the SNR range in dB (within ±120). Defaults 10, 30. */
  constructor(options: { minSnrDb?: number; maxSnrDb?: number } = {}) {
    const op = 'audio.NoiseAtSnr';
    const snr = checkRange(op, ['minSnrDb', options.minSnrDb ?? 10], ['maxSnrDb', options.maxSnrDb ?? 30], { min: -120, max: 120 });
    [this.minSnrDb, this.maxSnrDb] = snr;
  }

  /** Rebuilds it from {@link NoiseAtSnr.getConfig}; ConfigError if malformed. */
  static fromConfig(config: unknown): NoiseAtSnr {
    return new NoiseAtSnr(checkConfig<NoiseAtSnrConfig>('audio.NoiseAtSnr.fromConfig', config, 'noise', ['minSnrDb', 'maxSnrDb']));
  }

  apply(clip: AudioClip, rng: Rng): AudioClip {
    const snrDb = this.minSnrDb + (this.maxSnrDb - this.minSnrDb) * rng.float();
    const noise = clip.channels.map((c) => Float64Array.from(c, () => rng.normal()));
    const signalEnergy = clip.channels.reduce((s, c) => s + c.reduce((e, v) => e + v * v, 0), 0);
    const noiseEnergy = noise.reduce((s, c) => s + c.reduce((e, v) => e + v * v, 0), 0);
    if (signalEnergy === 0 || noiseEnergy === 0) return clip;
    const scale = Math.sqrt(signalEnergy / (noiseEnergy * 10 ** (snrDb / 10)));
    return {
      sampleRate: clip.sampleRate,
      channels: clip.channels.map((c, i) => c.map((v, t) => v + scale * noise[i]![t]!)),
    };
  }

  getConfig(): NoiseAtSnrConfig {
    return { kind: 'noise', minSnrDb: this.minSnrDb, maxSnrDb: this.maxSnrDb };
  }
}
