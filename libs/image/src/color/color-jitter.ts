import { z } from 'zod';
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

/**
 * Randomly changes brightness, contrast, saturation and hue, in a random order, each by a factor
 * (hue: an angle) drawn uniformly from its range (torchvision's ColorJitter, hue in degrees
 * rather than turns). Saturation and hue leave gray images alone.
 *
 * @param options Ranges for `brightness`, `contrast`, `saturation` (default `[1, 1]`, off) and `hue` (default `[0, 0]`, off).
 * @example colorJitter({ brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 36 })
 */
export const colorJitter = defineImageTransform('color-jitter', ColorJitterSchema, (o) => (image, rng) => {
  const steps: Array<(img: FloatImage) => void> = [];
  const b = uniform(rng, o.brightness);
  const c = uniform(rng, o.contrast);
  const s = uniform(rng, o.saturation);
  const h = uniform(rng, o.hue);
  if (b !== 1) steps.push((img) => brightnessInPlace(img, b));
  if (c !== 1) steps.push((img) => contrastInPlace(img, c));
  if (s !== 1) steps.push((img) => saturationInPlace(img, s));
  if (h !== 0) steps.push((img) => hueInPlace(img, h));
  // One copy, then every step in place: the same values as chaining the adjust* functions.
  const out = floatImage(image.shape, image.data.slice());
  for (const step of rng.shuffle(steps)) step(out);
  return out;
});
