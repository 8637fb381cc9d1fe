import { describe, expect, it } from 'vitest';
import { Rng } from '@omnitrain/core';
import { modalityDropoutMask } from '@omnitrain/fusion';

describe('modalityDropoutMask', () => {
  it('drops at about rate p, keeps at least one modality per sample, and repeats from a seed', () => {
    const seed = Date.now();
    const mask = modalityDropoutMask(Rng.fromSeed(seed), 2000, 3, 0.3);
    expect(Array.from(mask)).toEqual(Array.from(modalityDropoutMask(Rng.fromSeed(seed), 2000, 3, 0.3)));
    for (let b = 0; b < 2000; b++) expect(mask[3 * b]! + mask[3 * b + 1]! + mask[3 * b + 2]!).toBeGreaterThan(0);
    // P(drop) = 0.3, minus the all-dropped samples (0.027) that get one modality back: 0.3 - 0.009.
    const dropped = mask.reduce((n, k) => n + (1 - k), 0) / mask.length;
    expect(dropped).toBeGreaterThan(0.291 - 0.03);
    expect(dropped).toBeLessThan(0.291 + 0.03);
  });

  it('keeps everything at p = 0 and exactly one modality at p = 1', () => {
    expect(Array.from(modalityDropoutMask(Rng.fromSeed(1), 4, 2, 0)).every((k) => k === 1)).toBe(true);
    const all = modalityDropoutMask(Rng.fromSeed(1), 50, 4, 1);
    for (let b = 0; b < 50; b++) expect(all.subarray(4 * b, 4 * b + 4).reduce((a, c) => a + c, 0)).toBe(1);
  });
});
