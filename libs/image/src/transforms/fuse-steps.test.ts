// compose runs randomResizedCrop -> randomHorizontalFlip -> colorJitter -> normalize as one fused
// WebAssembly pass; the oracle is the same steps applied one by one with the same Rng stream.
import { describe, expect, it } from 'vitest';
import { DataError } from '@omnitrain/core';
import {
  colorJitter,
  compose,
  IMAGENET_MEAN,
  IMAGENET_STD,
  imageTransformFromConfig,
  normalize,
  randomHorizontalFlip,
  randomResizedCrop,
} from '@omnitrain/image';
import type { FloatImage, ImageShape, ImageTransform } from '@omnitrain/image';
import { maxAbsDiff, randomImage, seeded } from '../../test-fixtures/images.js';

const int = (lo: number, hi: number) => lo + Math.floor(Math.random() * (hi - lo + 1));

/** The steps one by one, sharing one stream (what compose did before fusing). */
function opByOp(steps: readonly ImageTransform[], image: FloatImage, seed: number): { out: FloatImage; next: number } {
  const rng = seeded(seed);
  const out = steps.reduce((x, s) => s.apply(x, rng), image);
  return { out, next: rng.float() };
}

function fused(steps: readonly ImageTransform[], image: FloatImage, seed: number): { out: FloatImage; next: number } {
  const rng = seeded(seed);
  const out = compose(steps).apply(image, rng);
  return { out, next: rng.float() };
}

/** A random chain: crop (enlarging or shrinking), a flip, a strong jitter, ImageNet or random statistics. */
function randomChain(height: number, width: number): ImageTransform[] {
  const j = () => Math.random() * 0.6;
  return [
    randomResizedCrop({ height, width, scale: [0.02 + 0.3 * Math.random(), 1] }),
    randomHorizontalFlip({ p: Math.random() }),
    colorJitter({ brightness: j(), contrast: j(), saturation: j(), hue: Math.random() * 180 }),
    Math.random() < 0.5
      ? normalize({ mean: [...IMAGENET_MEAN], std: [...IMAGENET_STD] })
      : normalize({ mean: [Math.random(), Math.random(), Math.random()], std: [0.1 + Math.random(), 0.1 + Math.random(), 0.1 + Math.random()] }),
  ];
}

describe('compose fuses randomResizedCrop, flip, colorJitter and normalize', () => {
  it('equals the steps applied one by one within 1e-5, drawing the same random numbers', () => {
    let worst = 0;
    for (let t = 0; t < 40; t++) {
      // Sources smaller and larger than the output: bilinear enlarging and antialiased shrinking.
      const shape: ImageShape = [int(5, 90), int(5, 90), 3];
      const steps = randomChain(int(4, 48), int(4, 48));
      const image = randomImage(shape);
      const before = image.data.slice();
      for (const seed of [int(0, 1e9), int(0, 1e9)]) {
        const a = fused(steps, image, seed);
        const b = opByOp(steps, image, seed);
        expect(a.out.shape).toEqual(b.out.shape);
        worst = Math.max(worst, maxAbsDiff(a.out.data, b.out.data));
        expect(a.next).toBe(b.next); // the stream advanced alike
      }
      expect(image.data).toEqual(before);
    }
    expect(worst).toBeLessThan(1e-5);
  });

  it('fuses any leading subset of the followers, in order, and leaves other steps alone', () => {
    const image = randomImage([int(20, 60), int(20, 60), 3]);
    const [crop, flip, jitter, norm] = randomChain(int(8, 40), int(8, 40)) as [ImageTransform, ImageTransform, ImageTransform, ImageTransform];
    for (const steps of [[crop, jitter], [crop, norm], [crop, flip], [crop, flip, norm], [flip, crop, jitter], [crop, norm, jitter]]) {
      const seed = int(0, 1e9);
      const a = fused(steps, image, seed);
      const b = opByOp(steps, image, seed);
      expect(maxAbsDiff(a.out.data, b.out.data)).toBeLessThan(1e-5);
      expect(a.next).toBe(b.next);
    }
  });

  it('runs op by op on gray and RGBA images, and keeps the per-op errors', () => {
    const chain = randomChain(int(6, 20), int(6, 20)).slice(0, 3);
    for (const channels of [1, 2, 4] as const) {
      const image = randomImage([int(10, 30), int(10, 30), channels]);
      const seed = int(0, 1e9);
      expect(fused(chain, image, seed).out.data).toEqual(opByOp(chain, image, seed).out.data);
    }
    const gray = compose([randomResizedCrop({ height: 8, width: 8 }), normalize({ mean: [0.5, 0.5, 0.5], std: [0.2, 0.2, 0.2] })]);
    expect(() => gray.apply(randomImage([12, 12, 1]), seeded(1))).toThrow(DataError);
    const rgbWithGrayStats = compose([randomResizedCrop({ height: 8, width: 8 }), normalize({ mean: [0.5], std: [0.2] })]);
    expect(() => rgbWithGrayStats.apply(randomImage([12, 12, 3]), seeded(1))).toThrow(DataError);
  });

  it('serializes the original steps, and the rebuilt pipeline gives the same output', () => {
    const steps = randomChain(16, 12);
    const pipeline = compose(steps);
    const config = JSON.parse(JSON.stringify(pipeline.getConfig()));
    expect(config).toEqual({ kind: 'compose', steps: steps.map((s) => s.getConfig()) });
    const image = randomImage([24, 30, 3]);
    expect(imageTransformFromConfig(config).apply(image, seeded(9)).data).toEqual(pipeline.apply(image, seeded(9)).data);
  });
});
