import { ConfigError } from '@omnitrain/core';
import { checkChoice, checkNumber } from '../options/check-options.js';
import { hzToMel, melToHz } from './mel-scale.js';
import type { MelScale } from './mel-scale.js';

/** Options of {@link melFilterBank}; defaults are torchaudio.transforms.MelSpectrogram's. */
export interface MelFilterBankOptions {
  /** Sample rate of the signal (Hz). Default 16000. */
  sampleRate?: number;
  /** FFT bins, floor(nFft / 2) + 1. Default 201 (nFft 400). */
  nFreqs?: number;
  /** Mel bands. Default 128. */
  nMels?: number;
  /** Lowest band edge (Hz). Default 0. */
  fMin?: number;
  /** Highest band edge (Hz). Default floor(sampleRate / 2). */
  fMax?: number;
  /** `'htk'` or `'slaney'`. Default `'htk'`. */
  melScale?: MelScale;
  /** `'slaney'` divides each triangle by its width in Hz (equal area); `null` keeps peaks at 1. Default null. */
  norm?: 'slaney' | null;
}

/** {@link MelFilterBankOptions} with every default filled in. */
export type MelFilterBankConfig = Required<MelFilterBankOptions>;

/** A mel filter bank: triangular weights from FFT bins to mel bands. */
export interface MelFilterBank {
  /** `[nFreqs, nMels]`, row-major: the weight of bin f in band m is `weights[f * nMels + m]`. */
  weights: Float32Array;
  nFreqs: number;
  nMels: number;
}

/**
 * Triangular mel filters over the FFT bins, as `torchaudio.functional.melscale_fbanks`: nMels + 2
 * points equally spaced in mels between fMin and fMax, a triangle from each point to the next but one.
 *
 * @param options Rate, bins, bands, edges, scale and norm (see {@link MelFilterBankOptions}).
 * @returns The weights, `[nFreqs, nMels]`.
 * @throws ConfigError on invalid options (fMin > fMax, ...).
 * @example
 * const fb = melFilterBank({ sampleRate: 16_000, nFreqs: 257, nMels: 80 });
 * fb.weights.length // 257 * 80
 */
export function melFilterBank(options: MelFilterBankOptions = {}): MelFilterBank {
  const c = resolveMelFilterBankOptions(options);
  const { nFreqs, nMels, melScale } = c;
  const nyquist = Math.floor(c.sampleRate / 2);
  const mMin = hzToMel(c.fMin, melScale);
  const mMax = hzToMel(c.fMax, melScale);
  const points = Float64Array.from({ length: nMels + 2 }, (_, i) => melToHz(mMin + ((mMax - mMin) * i) / (nMels + 1), melScale));
  const weights = new Float32Array(nFreqs * nMels);
  for (let f = 0; f < nFreqs; f++) {
    const hz = nFreqs === 1 ? 0 : (nyquist * f) / (nFreqs - 1);
    for (let m = 0; m < nMels; m++) {
      const down = (hz - points[m]!) / (points[m + 1]! - points[m]!);
      const up = (points[m + 2]! - hz) / (points[m + 2]! - points[m + 1]!);
      const enorm = c.norm === 'slaney' ? 2 / (points[m + 2]! - points[m]!) : 1;
      weights[f * nMels + m] = Math.max(0, Math.min(down, up)) * enorm;
    }
  }
  return { weights, nFreqs, nMels };
}

/** Fills in and checks the defaults of {@link MelFilterBankOptions}. */
export function resolveMelFilterBankOptions(options: MelFilterBankOptions, op = 'audio.melFilterBank'): MelFilterBankConfig {
  const sampleRate = checkNumber(op, 'sampleRate', options.sampleRate ?? 16_000, { min: 1 });
  const fMin = checkNumber(op, 'fMin', options.fMin ?? 0, { min: 0 });
  const fMax = checkNumber(op, 'fMax', options.fMax ?? Math.floor(sampleRate / 2), { min: 0 });
  if (fMin > fMax) throw new ConfigError({ op, expected: 'fMin <= fMax', received: `fMin=${fMin}, fMax=${fMax}` });
  return {
    sampleRate,
    nFreqs: checkNumber(op, 'nFreqs', options.nFreqs ?? 201, { min: 1, integer: true }),
    nMels: checkNumber(op, 'nMels', options.nMels ?? 128, { min: 1, integer: true }),
    fMin,
    fMax,
    melScale: checkChoice(op, 'melScale', options.melScale ?? 'htk', ['htk', 'slaney'] as const),
    norm: checkChoice(op, 'norm', options.norm ?? null, ['slaney', null] as const),
  };
}
