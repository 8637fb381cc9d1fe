import type { Rng } from '@omnitrain/core';
import { checkConfig, checkNumber } from '../options/check-options.js';
import { audioAugmentationFromConfig } from './audio-augmentation.js';
import type { AudioAugmentation, AudioAugmentationConfig, AudioDomain, AudioDomainValue } from './audio-augmentation.js';

/** The config of {@link AudioRandomApply}. */
export type AudioRandomApplyConfig = { kind: 'random-apply'; p: number; augmentation: AudioAugmentationConfig };

/**
 * Applies an augmentation with probability `p`, else returns the input as it is.
 *
 * @example new AudioRandomApply(new NoiseAtSnr({ minSnrDb: 0, maxSnrDb: 10 }), 0.3) // noisy 30% of the time
 */
export class AudioRandomApply<D extends AudioDomain> implements AudioAugmentation<D> {
  readonly kind = 'random-apply';
  readonly domain: D;

  /**
   * @param augmentation What to apply.
   * @param p Probability of applying it, in [0, 1].
   */
  constructor(
    readonly augmentation: AudioAugmentation<D>,
    readonly p: number,
  ) {
    checkNumber('audio.AudioRandomApply', 'p', p, { min: 0, max: 1 });
    this.domain = augmentation.domain;
  }

  /** Rebuilds it from {@link AudioRandomApply.getConfig}; ConfigError if malformed. */
  static fromConfig(config: unknown): AudioRandomApply<AudioDomain> {
    const c = checkConfig<AudioRandomApplyConfig>('audio.AudioRandomApply.fromConfig', config, 'random-apply', ['p', 'augmentation']);
    return new AudioRandomApply(audioAugmentationFromConfig(c.augmentation), c.p as number);
  }

  apply(input: AudioDomainValue[D], rng: Rng): AudioDomainValue[D] {
    return rng.float() < this.p ? this.augmentation.apply(input, rng) : input;
  }

  getConfig(): AudioRandomApplyConfig {
    return { kind: 'random-apply', p: this.p, augmentation: this.augmentation.getConfig() };
  }
}
