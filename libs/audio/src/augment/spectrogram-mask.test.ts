import { describe, expect, it } from 'vitest';
import { Rng } from '@omnitrain/core';
import { SpectrogramMask } from '@omnitrain/audio';
import type { Spectrogram } from '@omnitrain/audio';

const randomSpec = (frames: number, bins: number): Spectrogram => ({
  data: Float32Array.from({ length: frames * bins }, () => Math.random() * 60 - 50),
  frames,
  bins,
});

/** Indices along the axis where every cell is `value`. */
function maskedIndices(spec: Spectrogram, axis: 'time' | 'frequency', value: number): number[] {
  const size = axis === 'time' ? spec.frames : spec.bins;
  const other = axis === 'time' ? spec.bins : spec.frames;
  const at = (i: number, j: number) => (axis === 'time' ? spec.data[i * spec.bins + j]! : spec.data[j * spec.bins + i]!);
  return [...Array(size).keys()].filter((i) => [...Array(other).keys()].every((j) => at(i, j) === value));
}

describe('SpectrogramMask', () => {
  for (const axis of ['time', 'frequency'] as const) {
    it(`masks one band of < maxWidth ${axis} steps with the given value, leaving the rest`, () => {
      const spec = randomSpec(120, 64);
      const mask = new SpectrogramMask({ axis, maxWidth: 15, maskValue: -100 });
      const widths = new Set<number>();
      const rng = Rng.fromSeed(Math.floor(Math.random() * 2 ** 31));
      for (let i = 0; i < 50; i++) {
        const out = mask.apply(spec, rng);
        const masked = maskedIndices(out, axis, Math.fround(-100));
        widths.add(masked.length);
        expect(masked.length).toBeLessThan(15);
        if (masked.length) expect(masked.at(-1)! - masked[0]!).toBe(masked.length - 1); // one contiguous band
        const changed = out.data.reduce((n, v, k) => n + (v !== spec.data[k] ? 1 : 0), 0);
        expect(changed).toBe(masked.length * (axis === 'time' ? spec.bins : spec.frames));
      }
      expect(widths.size).toBeGreaterThan(8);
    });
  }

  it('caps time masks at maxProportion of the frames and fills with the mean by default', () => {
    const spec = randomSpec(40, 16);
    const mean = spec.data.reduce((s, v) => s + v, 0) / spec.data.length;
    const mask = new SpectrogramMask({ axis: 'time', maxWidth: 100, count: 1, maxProportion: 0.1 });
    const rng = Rng.fromSeed(7);
    for (let i = 0; i < 30; i++) {
      const masked = maskedIndices(mask.apply(spec, rng), 'time', Math.fround(mean));
      expect(masked.length).toBeLessThan(4); // floor(0.1 * 40) = 4, widths drawn in [0, 4)
    }
  });

  it('applies count masks (which may overlap)', () => {
    const spec = randomSpec(200, 8);
    const out = new SpectrogramMask({ axis: 'time', maxWidth: 20, count: 5, maskValue: 0 }).apply(spec, Rng.fromSeed(3));
    const masked = maskedIndices(out, 'time', 0);
    expect(masked.length).toBeGreaterThan(0);
    expect(masked.length).toBeLessThan(5 * 20);
  });
});
