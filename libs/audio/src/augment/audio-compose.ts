import { ConfigError } from '@omnitrain/core';
import type { Rng } from '@omnitrain/core';
import { checkConfig } from '../options/check-options.js';
import { audioAugmentationFromConfig } from './audio-augmentation.js';
import type { AudioAugmentation, AudioAugmentationConfig, AudioDomain, AudioDomainValue } from './audio-augmentation.js';

/** The config of {@link AudioCompose}. */
export type AudioComposeConfig = { kind: 'compose'; steps: AudioAugmentationConfig[] };

/**
 * Applies augmentations of one domain in order, drawing from the same random stream.
 *
 * @example
 * const chain = new AudioCompose([new SpeedChange(), new Gain({ minDb: -6, maxDb: 6 }), new NoiseAtSnr()]);
 * const augmented = chain.apply(clip, rng);
 * audioAugmentationFromConfig(chain.getConfig(), 'waveform'); // an equal chain
 */
export class AudioCompose<D extends AudioDomain> implements AudioAugmentation<D> {
  readonly kind = 'compose';
  readonly domain: D;
  readonly steps: ReadonlyArray<AudioAugmentation<D>>;

  /** @param steps One or more augmentations, all of the same domain. */
  constructor(steps: ReadonlyArray<AudioAugmentation<D>>) {
    const domains = [...new Set(steps.map((s) => s.domain))];
    if (domains.length !== 1) {
      throw new ConfigError({
        op: 'audio.AudioCompose',
        expected: 'one or more steps, all waveform or all spectrogram augmentations',
        received: steps.length ? `steps on ${domains.join(' and ')} (${steps.map((s) => s.kind).join(', ')})` : 'no steps',
        hint: 'compose waveform augmentations and spectrogram augmentations separately',
      });
    }
    this.domain = domains[0]!;
    this.steps = [...steps];
  }

  /** Rebuilds a chain from {@link AudioCompose.getConfig}; ConfigError if malformed. */
  static fromConfig(config: unknown): AudioCompose<AudioDomain> {
    const { steps } = checkConfig<AudioComposeConfig>('audio.AudioCompose.fromConfig', config, 'compose', ['steps']);
    if (!Array.isArray(steps)) {
      throw new ConfigError({ op: 'audio.AudioCompose.fromConfig', expected: 'steps: a list of configs', received: JSON.stringify(steps) ?? 'none' });
    }
    return new AudioCompose(steps.map((s) => audioAugmentationFromConfig(s)));
  }

  apply(input: AudioDomainValue[D], rng: Rng): AudioDomainValue[D] {
    return this.steps.reduce((x, step) => step.apply(x, rng), input);
  }

  getConfig(): AudioComposeConfig {
    return { kind: 'compose', steps: this.steps.map((s) => s.getConfig()) };
  }
}
