import { describe, expect, it } from 'vitest';
import {
  LogMelSpectrogramTransform,
  MelSpectrogramTransform,
  MfccTransform,
  SpectrogramTransform,
  melFilterBank,
} from '@omnitrain/audio';
import type { Spectrogram } from '@omnitrain/audio';
import { maxAbsoluteError, maxRelativeError, torchaudioCases, transpose } from '../../test-fixtures/torchaudio-fixtures.js';
import type { TorchaudioCase } from '../../test-fixtures/torchaudio-fixtures.js';

// Reference values: tools/fixtures/audio-torchaudio.py (torchaudio 0.13.1). Tolerances:
// - power/magnitude values span ~12 orders of magnitude; relative error is taken against
//   max(|value|, peak * 1e-5): bins 50 dB below the peak carry the float32 rounding noise of
//   torchaudio's own FFT and window. The `-float64` cases (torch in double precision, window and
//   filter bank included) agree to 2 float32 ulps on every value, however small, which shows that
//   the remaining differences are torch's float32 rounding, not ours;
// - dB values: |difference| <= 10 log10(1 + 1e-4) dB, i.e. 1e-4 relative on the power;
// - MFCCs (sums of dB values): relative against max(|value|, 1);
// - filter weights: relative against max(|value|, 5% of the peak): torch builds them in float32,
//   where `hz - edge` cancels (errors ~3e-6 of the peak on the smallest weights).
const RTOL = 1e-4;
const DB_TOL = 10 * Math.log10(1 + RTOL);
const cases = torchaudioCases();

function run(c: TorchaudioCase): Spectrogram {
  const samples = c.input!.samples;
  switch (c.kind) {
    case 'spectrogram':
      return new SpectrogramTransform(c.options).apply(samples);
    case 'mel':
      return new MelSpectrogramTransform(c.options).apply(samples);
    case 'logmel':
      return new LogMelSpectrogramTransform(c.options).apply(samples);
    default:
      return new MfccTransform(c.options).apply(samples);
  }
}

describe('spectral features match torchaudio', () => {
  for (const c of cases.filter((c) => ['spectrogram', 'mel', 'logmel', 'mfcc'].includes(c.kind))) {
    it(`${c.name}: ${c.torchaudio}`, () => {
      const spec = run(c);
      expect([spec.bins, spec.frames]).toEqual(c.shape);
      const actual = transpose(spec.data, spec.frames, spec.bins);
      const peak = c.output.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      if (c.kind === 'logmel') expect(maxAbsoluteError(actual, c.output)).toBeLessThan(DB_TOL);
      else if (c.kind === 'mfcc') expect(maxRelativeError(actual, c.output, 1)).toBeLessThan(RTOL);
      else if (c.float64) expect(maxRelativeError(actual, c.output, peak * 1e-12)).toBeLessThan(2.5e-7);
      else expect(maxRelativeError(actual, c.output, peak * 1e-5)).toBeLessThan(RTOL);
    });
  }

  for (const c of cases.filter((c) => c.kind === 'fbank')) {
    it(`${c.name}: ${c.torchaudio}`, () => {
      const fb = melFilterBank(c.options);
      expect([fb.nFreqs, fb.nMels]).toEqual(c.shape);
      const peak = c.output.reduce((m, v) => Math.max(m, v), 0);
      expect(maxRelativeError(fb.weights, c.output, peak * 0.05)).toBeLessThan(RTOL);
    });
  }
});
