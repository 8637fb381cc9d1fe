import { describe, expect, it } from 'vitest';
import { ConfigError, Rng } from '@omnitrain/core';
import {
  AudioCompose,
  AudioRandomApply,
  Gain,
  NoiseAtSnr,
  SpectrogramMask,
  SpeedChange,
  TimeShift,
  audioAugmentationFromConfig,
  audioAugmentations,
} from '@omnitrain/audio';
import type { AudioAugmentation, AudioClip, Spectrogram } from '@omnitrain/audio';

const freshSeed = () => Math.floor(Math.random() * 2 ** 31);

function randomClip(channels: number, frames: number): AudioClip {
  return { sampleRate: 16_000, channels: Array.from({ length: channels }, () => Float32Array.from({ length: frames }, () => Math.random() - 0.5)) };
}

function randomSpec(frames: number, bins: number): Spectrogram {
  return { data: Float32Array.from({ length: frames * bins }, () => Math.random() * 80 - 60), frames, bins };
}

/** One of each kind (and variants), with an input of its domain. */
const examples: Array<[string, AudioAugmentation]> = [
  ['gain', new Gain({ minDb: -12, maxDb: 3 })],
  ['noise', new NoiseAtSnr({ minSnrDb: 0, maxSnrDb: 20 })],
  ['time-shift zero', new TimeShift({ maxSeconds: 0.05 })],
  ['time-shift wrap', new TimeShift({ maxSeconds: 0.05, fill: 'wrap' })],
  ['speed', new SpeedChange({ minFactor: 0.8, maxFactor: 1.25 })],
  ['time mask', new SpectrogramMask({ axis: 'time', maxWidth: 20, count: 2, maxProportion: 0.5 })],
  ['frequency mask', new SpectrogramMask({ axis: 'frequency', maxWidth: 10, maskValue: -80 })],
  ['compose', new AudioCompose([new SpeedChange(), new Gain(), new NoiseAtSnr()])],
  ['random-apply', new AudioRandomApply(new AudioCompose([new SpectrogramMask({ axis: 'time', maxWidth: 30 })]), 0.5)],
];

function inputFor(a: AudioAugmentation): AudioClip | Spectrogram {
  return a.domain === 'waveform' ? randomClip(2, 4000) : randomSpec(100, 40);
}

/** Applies `a` several times from one stream and returns the outputs. */
function draws(a: AudioAugmentation, input: AudioClip | Spectrogram, rng: Rng, n = 6): Array<AudioClip | Spectrogram> {
  return Array.from({ length: n }, () => (a.apply as (x: typeof input, r: Rng) => typeof input)(input, rng));
}

describe('audio augmentations (shared conformance suite)', () => {
  it('covers every registered kind', () => {
    const kinds = new Set(examples.map(([, a]) => a.kind));
    expect(audioAugmentations.list().filter((k) => !kinds.has(k))).toEqual([]);
  });

  for (const [name, augmentation] of examples) {
    describe(name, () => {
      it('round-trips through getConfig -> JSON -> audioAugmentationFromConfig', () => {
        const config = augmentation.getConfig();
        const rebuilt = audioAugmentationFromConfig(JSON.parse(JSON.stringify(config)), augmentation.domain);
        expect(rebuilt.getConfig()).toEqual(config);
        expect(rebuilt.constructor).toBe(augmentation.constructor);
        // The rebuilt one draws the same outputs from the same stream.
        const input = inputFor(augmentation);
        const seed = freshSeed();
        expect(draws(rebuilt, input, Rng.stream(seed, { purpose: 'augment' }))).toEqual(
          draws(augmentation, input, Rng.stream(seed, { purpose: 'augment' })),
        );
      });

      it('is deterministic from the seed, varies across seeds, and resumes from a saved stream state', () => {
        const input = inputFor(augmentation);
        const seed = freshSeed();
        const a = draws(augmentation, input, Rng.stream(seed, { purpose: 'augment', rank: 0 }));
        expect(draws(augmentation, input, Rng.stream(seed, { purpose: 'augment', rank: 0 }))).toEqual(a);
        // 24 draws, not 6: a random-apply at p = 0.5 leaves the input alone in all 6 draws of both streams
        // about once in 3,000 runs (0.52^12); in 24 draws, never in practice (0.52^48 < 1e-13).
        expect(draws(augmentation, input, Rng.stream(seed, { purpose: 'augment', rank: 1 }), 24)).not.toEqual(
          draws(augmentation, input, Rng.stream(seed, { purpose: 'augment', rank: 0 }), 24),
        );
        const rng = Rng.stream(seed, { purpose: 'augment', rank: 0 });
        draws(augmentation, input, rng, 2);
        const resumed = Rng.fromState(JSON.parse(JSON.stringify(rng.getState())));
        expect(draws(augmentation, input, resumed, 4)).toEqual(a.slice(2));
      });

      it('leaves its input unchanged', () => {
        const input = inputFor(augmentation);
        const before = structuredClone(input);
        draws(augmentation, input, Rng.fromSeed(freshSeed()), 3);
        expect(input).toEqual(before);
      });
    });
  }

  it('rejects unknown kinds, unknown fields, bad values and the wrong domain', () => {
    expect(() => audioAugmentationFromConfig({ kind: 'gian' })).toThrow(/Unknown audio augmentation "gian". Available: .*gain.*Did you mean "gain"\?/);
    expect(() => audioAugmentationFromConfig({ kind: 'gain', minDb: -6, maxdb: 6 })).toThrow(/unknown field maxdb/);
    expect(() => audioAugmentationFromConfig({ kind: 'gain', minDb: 6, maxDb: -6 })).toThrow(/minDb <= maxDb/);
    expect(() => audioAugmentationFromConfig({ kind: 'noise', minSnrDb: 'loud' })).toThrow(ConfigError);
    expect(() => audioAugmentationFromConfig({ kind: 'spectrogram-mask', axis: 'time', maxWidth: 10 }, 'waveform')).toThrow(
      /expected a waveform augmentation, got "spectrogram-mask", which works on spectrograms/,
    );
    expect(() => audioAugmentationFromConfig('gain')).toThrow(/an object with a string kind/);
    expect(() => new AudioCompose([])).toThrow(/no steps/);
    expect(() => new AudioCompose<'waveform'>([new Gain(), new SpectrogramMask({ axis: 'time', maxWidth: 3 }) as never])).toThrow(
      /got steps on waveform and spectrogram \(gain, spectrogram-mask\)/,
    );
    expect(() => new AudioRandomApply(new Gain(), 1.5)).toThrow(/p a finite number >= 0 and <= 1/);
    expect(() => new SpeedChange({ minFactor: 1.231, maxFactor: 1.238 })).toThrow(/a multiple of 0.01/);
  });

  it('applies a random-apply step about p of the time', () => {
    const half = new AudioRandomApply(new Gain({ minDb: 6, maxDb: 6 }), 0.3);
    const clip = randomClip(1, 10);
    const rng = Rng.fromSeed(freshSeed());
    let applied = 0;
    for (let i = 0; i < 4000; i++) if (half.apply(clip, rng) !== clip) applied++;
    expect(Math.abs(applied / 4000 - 0.3)).toBeLessThan(0.045); // sd 0.0072: 6 sd
  });
});
