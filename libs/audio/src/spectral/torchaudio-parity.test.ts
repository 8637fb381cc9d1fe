import { describe, expect, it } from 'vitest';
import {
  LogMelSpectrogramTransform,
  MEL_KERNELS,
  MelSpectrogramTransform,
  MfccTransform,
  SpectrogramTransform,
  melFilterBank,
} from '@omnitrain/audio';
import type { MelKernel, Spectrogram } from '@omnitrain/audio';
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
// - mel, log-mel and MFCC run on both kernels: 'js' (float64) and 'wasm' (float32 SIMD). The float32
//   kernel is held to the float32 rule (relative against max(|value|, peak * 1e-5)) on the float64
//   cases too: it agrees with torch's double-precision values as well as torch's own float32 path does;
// - filter weights: relative against max(|value|, 5% of the peak): torch builds them in float32,
//   where `hz - edge` cancels (errors ~3e-6 of the peak on the smallest weights).
const RTOL = 1e-4;
const DB_TOL = 10 * Math.log10(1 + RTOL);
const cases = torchaudioCases();

function run(c: TorchaudioCase, kernel: MelKernel): Spectrogram {
  const samples = c.input!.samples;
  const options = { ...c.options, kernel };
  const transform =
    c.kind === 'spectrogram'
      ? new SpectrogramTransform(c.options)
      : c.kind === 'mel'
        ? new MelSpectrogramTransform(options)
        : c.kind === 'logmel'
          ? new LogMelSpectrogramTransform(options)
          : new MfccTransform(options);
  // Every mel-based fixture has a size the wasm kernel computes: it must not fall back silently.
  if ('activeKernel' in transform) expect(transform.activeKernel).toBe(kernel);
  return transform.apply(samples);
}

describe('spectral features match torchaudio', () => {
  for (const c of cases.filter((c) => ['spectrogram', 'mel', 'logmel', 'mfcc'].includes(c.kind))) {
    for (const kernel of c.kind === 'spectrogram' ? (['js'] as const) : MEL_KERNELS) {
      it(`${c.name} (${kernel}): ${c.torchaudio}`, () => {
        const spec = run(c, kernel);
        expect([spec.bins, spec.frames]).toEqual(c.shape);
        const actual = transpose(spec.data, spec.frames, spec.bins);
        const peak = c.output.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
        if (c.kind === 'logmel') expect(maxAbsoluteError(actual, c.output)).toBeLessThan(DB_TOL);
        else if (c.kind === 'mfcc') expect(maxRelativeError(actual, c.output, 1)).toBeLessThan(RTOL);
        else if (c.float64 && kernel === 'js') expect(maxRelativeError(actual, c.output, peak * 1e-12)).toBeLessThan(2.5e-7);
        else expect(maxRelativeError(actual, c.output, peak * 1e-5)).toBeLessThan(RTOL);
      });
    }
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
