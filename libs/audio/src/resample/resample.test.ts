import { describe, expect, it } from 'vitest';
import { ConfigError } from '@omnitrain/core';
import { resample } from '@omnitrain/audio';
import { maxAbsoluteError, maxRelativeError, torchaudioCases } from '../../test-fixtures/torchaudio-fixtures.js';

function tone(hz: number, rate: number, seconds: number, phase = 0): Float32Array {
  return Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => Math.sin(2 * Math.PI * hz * (i / rate) + phase));
}

function rms(x: ArrayLike<number>, from = 0, to = x.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i]! ** 2;
  return Math.sqrt(s / (to - from));
}

describe('resample', () => {
  for (const c of torchaudioCases().filter((c) => c.kind === 'resample')) {
    it(`matches torchaudio: ${c.name}`, () => {
      const { from, to, ...options } = c.options as { from: number; to: number };
      const out = resample(c.input!.samples, from, to, options);
      expect([out.length]).toEqual(c.shape);
      // Same kernel to the bit; torch accumulates the convolution in float32, we in float64.
      expect(maxAbsoluteError(out, c.output)).toBeLessThan(1e-6);
      expect(maxRelativeError(out, c.output, 1e-3)).toBeLessThan(1e-4);
    });
  }

  it('keeps a pure tone at its frequency, amplitude and phase (44.1 kHz -> 16 kHz and back up)', () => {
    const hz = 300 + Math.random() * 3000;
    const phase = Math.random() * 6;
    const down = resample(tone(hz, 44_100, 0.5, phase), 44_100, 16_000);
    expect(down.length).toBe(8000);
    const ideal = tone(hz, 16_000, 0.5, phase);
    const err = down.map((v, i) => v - ideal[i]!);
    // Away from the edges (where the filter sees the zero padding) the tone is reproduced to -60 dB.
    expect(rms(err, 200, 7800)).toBeLessThan(1e-3);
    const up = resample(down, 16_000, 22_050);
    expect(up.length).toBe(Math.ceil((8000 * 22_050) / 16_000));
    const ideal22 = tone(hz, 22_050, 0.5, phase);
    expect(rms(up.map((v, i) => v - ideal22[i]!), 300, up.length - 300)).toBeLessThan(2e-3);
  });

  it('removes content above the new Nyquist frequency instead of aliasing it', () => {
    const above = resample(tone(10_000 + Math.random() * 5000, 44_100, 0.3), 44_100, 16_000);
    expect(rms(above, 200, above.length - 200)).toBeLessThan(1e-2);
  });

  it('returns a copy for equal rates and checks its arguments', () => {
    const x = tone(440, 8000, 0.01);
    const y = resample(x, 8000, 8000);
    expect(y).toEqual(x);
    expect(y).not.toBe(x);
    expect(() => resample(x, 44_100.5, 16_000)).toThrow(ConfigError);
    expect(() => resample(x, 8000, 16_000, { rolloff: 1.5 })).toThrow(/rolloff/);
    expect(() => resample(x, 8000, 16_000, { window: 'blackman' as 'hann' })).toThrow(/window one of "hann", "kaiser"/);
  });
});
