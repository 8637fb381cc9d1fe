import { ConfigError, Registry } from '@omnitrain/core';
import type { Rng } from '@omnitrain/core';
import type { Spectrogram } from '../spectral/spectrogram.js';
import type { AudioClip } from '../wav/audio-clip.js';

/** What an augmentation works on: waveforms (before features) or spectrograms (after). */
export type AudioDomain = 'waveform' | 'spectrogram';

/** The value type of each {@link AudioDomain}. */
export interface AudioDomainValue {
  waveform: AudioClip;
  spectrogram: Spectrogram;
}

/** The serialized form of an augmentation: plain JSON tagged by its registered `kind`. */
export type AudioAugmentationConfig = { kind: string } & Record<string, unknown>;

/**
 * A random audio transform. Randomness comes only from the `rng` passed to `apply` (a core `Rng`
 * stream, e.g. `Rng.stream(seed, { purpose: 'augment', rank })`), so the same stream state gives
 * the same output, and saving the stream's state with a checkpoint resumes the same draws.
 * `getConfig()` returns plain JSON that {@link audioAugmentationFromConfig} turns back into an
 * equal augmentation.
 *
 * @example
 * const rng = Rng.stream(seed, { purpose: 'augment', rank });
 * const noisy = new NoiseAtSnr({ minSnrDb: 10, maxSnrDb: 20 }).apply(clip, rng);
 */
export interface AudioAugmentation<D extends AudioDomain = AudioDomain> {
  /** The registered kind (`gain`, `noise`, `compose`, ...). */
  readonly kind: string;
  /** What it works on. */
  readonly domain: D;
  /** Returns the augmented value; never modifies the input (returns it as it is when nothing changes). */
  apply(input: AudioDomainValue[D], rng: Rng): AudioDomainValue[D];
  /** The settings, as plain JSON. */
  getConfig(): AudioAugmentationConfig;
}

/**
 * Rebuilders of audio augmentations from their configs, by kind. This lib registers `gain`, `noise`,
 * `time-shift`, `speed`, `spectrogram-mask`, `compose` and `random-apply`.
 *
 * @example audioAugmentations.register('reverb', (config) => Reverb.fromConfig(config));
 */
export const audioAugmentations = new Registry<(config: AudioAugmentationConfig) => AudioAugmentation>('audio augmentation');

/**
 * Rebuilds an augmentation from its `getConfig()` output (from a checkpoint, a run YAML, a trial).
 *
 * @param config The plain-JSON config.
 * @param domain The domain the caller needs; a config of the other domain is a ConfigError. Default: either.
 * @throws ConfigError on an unknown kind (listing the known ones), malformed fields or the wrong domain.
 * @example
 * const chain = audioAugmentationFromConfig(
 *   { kind: 'compose', steps: [{ kind: 'gain', minDb: -6, maxDb: 6 }, { kind: 'noise', minSnrDb: 10, maxSnrDb: 30 }] },
 *   'waveform',
 * );
 */
export function audioAugmentationFromConfig<D extends AudioDomain>(config: unknown, domain: D): AudioAugmentation<D>;
export function audioAugmentationFromConfig(config: unknown): AudioAugmentation;
export function audioAugmentationFromConfig(config: unknown, domain?: AudioDomain): AudioAugmentation {
  const kind = (config as { kind?: unknown } | null)?.kind;
  if (typeof kind !== 'string') {
    throw new ConfigError({
      op: 'audio.audioAugmentationFromConfig',
      expected: 'an object with a string kind',
      received: JSON.stringify(config) ?? String(config),
    });
  }
  const augmentation = audioAugmentations.get(kind)(config as AudioAugmentationConfig);
  if (domain !== undefined && augmentation.domain !== domain) {
    throw new ConfigError({
      op: 'audio.audioAugmentationFromConfig',
      expected: `a ${domain} augmentation`,
      received: `"${kind}", which works on ${augmentation.domain}s`,
      hint: 'waveform augmentations go before feature extraction, spectrogram ones after',
    });
  }
  return augmentation;
}
