import { z } from 'zod';
import type { Rng } from '@omnitrain/core';
import { floatImage } from '../image/float-image.js';
import type { FloatImage } from '../image/float-image.js';
import { defineImageTransform } from '../transforms/define-image-transform.js';
import { aroundOne, interval, symmetric, uniform } from '../transforms/option-schemas.js';
import { brightnessInPlace } from './adjust-brightness.js';
import { contrastInPlace } from './adjust-contrast.js';
import { hueInPlace } from './adjust-hue.js';
import { saturationInPlace } from './adjust-saturation.js';

const factor = interval(aroundOne, 0).default([1, 1]);

const ColorJitterSchema = z.strictObject({
  /** Brightness factor range `[lo, hi]`, or `n` for `[max(0, 1 - n), 1 + n]`. Default `[1, 1]` (off). */
  brightness: factor,
  /** Contrast factor range, read as brightness's. Default `[1, 1]` (off). */
  contrast: factor,
  /** Saturation factor range, read as brightness's. Default `[1, 1]` (off). */
  saturation: factor,
  /** Hue shift range in degrees `[lo, hi]`, or `n` for `[-n, n]`. Default `[0, 0]` (off). */
  hue: interval(symmetric).default([0, 0]),
});

/** The parsed options of {@link colorJitter}: one `[lo, hi]` range per adjustment. */
export type ColorJitterRanges = z.output<typeof ColorJitterSchema>;

/** One drawn colour adjustment: which, and its factor (hue: its shift in degrees). */
export interface ColorStep {
  op: 'brightness' | 'contrast' | 'saturation' | 'hue';
  amount: number;
}

const IN_PLACE: Record<ColorStep['op'], (image: FloatImage, amount: number) => void> = {
  brightness: brightnessInPlace,
  contrast: contrastInPlace,
  saturation: saturationInPlace,
  hue: hueInPlace,
};

/**
 * Draws one jitter from `rng`: the four factors, then the order of those that change anything.
 * The one place a jitter's draws are made, so `colorJitter` and the fused crop-and-colour kernel
 * (compose's fast path) draw alike.
 *
 * @param ranges The jitter's parsed ranges.
 * @param rng The stream to draw from (4 uniforms, then a shuffle).
 * @returns The adjustments to apply, in order.
 * @example drawColorJitter(colorJitterOptions, rng) // [{ op: 'hue', amount: 12.5 }, { op: 'brightness', amount: 0.8 }, ...]
 */
export function drawColorJitter(ranges: ColorJitterRanges, rng: Rng): ColorStep[] {
  const steps: ColorStep[] = [];
  const b = uniform(rng, ranges.brightness);
  const c = uniform(rng, ranges.contrast);
  const s = uniform(rng, ranges.saturation);
  const h = uniform(rng, ranges.hue);
  if (b !== 1) steps.push({ op: 'brightness', amount: b });
  if (c !== 1) steps.push({ op: 'contrast', amount: c });
  if (s !== 1) steps.push({ op: 'saturation', amount: s });
  if (h !== 0) steps.push({ op: 'hue', amount: h });
  return rng.shuffle(steps);
}

/**
 * Randomly changes brightness, contrast, saturation and hue, in a random order, each by a factor
 * (hue: an angle) drawn uniformly from its range (torchvision's ColorJitter, hue in degrees
 * rather than turns). Saturation and hue leave gray images alone.
 *
 * @param options Ranges for `brightness`, `contrast`, `saturation` (default `[1, 1]`, off) and `hue` (default `[0, 0]`, off).
 * @example colorJitter({ brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 36 })
 */
export const colorJitter = defineImageTransform('color-jitter', ColorJitterSchema, (o) => (image, rng) => {
  const steps = drawColorJitter(o, rng);
  // One copy, then every step in place: the same values as chaining the adjust* functions.
  const out = floatImage(image.shape, image.data.slice());
  for (const step of steps) IN_PLACE[step.op](out, step.amount);
  return out;
});
