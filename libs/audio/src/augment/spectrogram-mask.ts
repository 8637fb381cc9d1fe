import type { Rng } from '@omnitrain/core';
import { checkChoice, checkConfig, checkNumber } from '../options/check-options.js';
import type { Spectrogram } from '../spectral/spectrogram.js';
import type { AudioAugmentation } from './audio-augmentation.js';

/** The config of {@link SpectrogramMask}. */
export type SpectrogramMaskConfig = {
  kind: 'spectrogram-mask';
  axis: 'time' | 'frequency';
  maxWidth: number;
  count: number;
  maxProportion: number;
  maskValue: number | 'mean';
};

/** Options of {@link SpectrogramMask}. */
export interface SpectrogramMaskOptions {
  /** Mask frames (`'time'`) or bins (`'frequency'`). */
  axis: 'time' | 'frequency';
  /** Widest mask, in frames or bins (SpecAugment's T or F, e.g. 100 and 27). */
  maxWidth: number;
  /** Masks per spectrogram (SpecAugment's mT or mF). Default 1. */
  count?: number;
  /** A mask is also at most this fraction of the axis (SpecAugment's p, for time). Default 1. */
  maxProportion?: number;
  /** Value of masked cells: a number, or `'mean'` of the spectrogram (0 after normalization, sensible for dB features). Default `'mean'`. */
  maskValue?: number | 'mean';
}

/**
 * SpecAugment masking (Park et al. 2019): `count` bands of consecutive frames (time masking) or
 * bins (frequency masking) are set to `maskValue`. Each band's width is drawn uniformly in
 * [0, maxWidth) (capped at maxProportion of the axis) and its start uniformly where it fits, as
 * torchaudio's TimeMasking / FrequencyMasking draw them (whose mask value is 0).
 *
 * @example
 * const specAugment = new AudioCompose([
 *   new SpectrogramMask({ axis: 'frequency', maxWidth: 27, count: 2 }),
 *   new SpectrogramMask({ axis: 'time', maxWidth: 100, count: 2, maxProportion: 0.2 }),
 * ]);
 * specAugment.apply(logMel.apply(samples), rng);
 */
export class SpectrogramMask implements AudioAugmentation<'spectrogram'> {
  readonly kind = 'spectrogram-mask';
  readonly domain = 'spectrogram';
  readonly config: Omit<SpectrogramMaskConfig, 'kind'>;

  /** @param options Axis, widths, count and mask value (see {@link SpectrogramMaskOptions}). */
  constructor(options: SpectrogramMaskOptions) {
    const op = 'audio.SpectrogramMask';
    const maskValue = options.maskValue ?? 'mean';
    if (maskValue !== 'mean') checkNumber(op, 'maskValue', maskValue);
    this.config = {
      axis: checkChoice(op, 'axis', options.axis, ['time', 'frequency'] as const),
      maxWidth: checkNumber(op, 'maxWidth', options.maxWidth, { min: 0, integer: true }),
      count: checkNumber(op, 'count', options.count ?? 1, { min: 0, integer: true }),
      maxProportion: checkNumber(op, 'maxProportion', options.maxProportion ?? 1, { min: 0, max: 1 }),
      maskValue,
    };
  }

  /** Rebuilds it from {@link SpectrogramMask.getConfig}; ConfigError if malformed. */
  static fromConfig(config: unknown): SpectrogramMask {
    const c = checkConfig<SpectrogramMaskConfig>('audio.SpectrogramMask.fromConfig', config, 'spectrogram-mask', [
      'axis', 'maxWidth', 'count', 'maxProportion', 'maskValue',
    ]);
    return new SpectrogramMask(c as SpectrogramMaskOptions); // the constructor checks every field
  }

  apply(spec: Spectrogram, rng: Rng): Spectrogram {
    const { axis, maxWidth, count, maxProportion } = this.config;
    const data = spec.data.slice();
    const size = axis === 'time' ? spec.frames : spec.bins;
    const widest = Math.min(maxWidth, Math.floor(maxProportion * size));
    const value = this.config.maskValue === 'mean' ? mean(spec.data) : this.config.maskValue;
    for (let m = 0; m < count; m++) {
      const width = rng.float() * widest;
      const start = Math.floor(rng.float() * (size - width));
      const end = start + Math.floor(width);
      for (let i = start; i < end; i++) {
        if (axis === 'time') data.fill(value, i * spec.bins, (i + 1) * spec.bins);
        else for (let f = 0; f < spec.frames; f++) data[f * spec.bins + i] = value;
      }
    }
    return { data, frames: spec.frames, bins: spec.bins };
  }

  getConfig(): SpectrogramMaskConfig {
    return { kind: 'spectrogram-mask', ...this.config };
  }
}

function mean(data: Float32Array): number {
  let s = 0;
  for (let i = 0; i < data.length; i++) s += data[i]!;
  return data.length ? s / data.length : 0;
}
