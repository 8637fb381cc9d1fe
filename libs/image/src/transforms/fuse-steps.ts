import type { Rng } from '@omnitrain/core';
import type { FloatImage } from '../image/float-image.js';
import { drawColorJitter } from '../color/color-jitter.js';
import type { ColorJitterRanges, ColorStep } from '../color/color-jitter.js';
import { cropRegion } from '../geometry/random-resized-crop.js';
import type { Interval } from './option-schemas.js';
import { fusedCropColor } from './fused-crop-color.js';
import type { ImageTransform } from './image-transform.js';

/** The kinds that may follow a random resized crop inside one fused step, in this order. */
const FOLLOWERS = ['random-horizontal-flip', 'color-jitter', 'normalize'] as const;

interface RandomResizedCropConfig {
  height: number;
  width: number;
  scale: Interval;
  ratio: Interval;
  antialias: boolean;
}

/**
 * Replaces every run `randomResizedCrop` followed by any of `randomHorizontalFlip`, `colorJitter`,
 * `normalize` (in that order, at least one) with one fused step that draws the same random numbers
 * in the same order and returns the same values (the per-op chain stores float32 after every op;
 * the fused kernel rounds where it does), in one or two passes over the output pixels instead of one
 * full-image pass per op. compose calls it; the fused step runs the original steps op by op on
 * images that are not RGB, so errors and gray/alpha semantics stay theirs.
 *
 * @param steps The built steps, in order.
 * @returns The steps to run: the same list with fusable runs replaced.
 * @example fuseSteps([randomResizedCrop({ height: 224, width: 224 }), randomHorizontalFlip(), normalize(imagenet)]).length // 1
 */
export function fuseSteps(steps: readonly ImageTransform[]): ImageTransform[] {
  const out: ImageTransform[] = [];
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    if (step.kind !== 'random-resized-crop') {
      out.push(step);
      continue;
    }
    const run = [step];
    for (const kind of FOLLOWERS) if (steps[i + run.length]?.kind === kind) run.push(steps[i + run.length]!);
    if (run.length === 1) out.push(step);
    else out.push(fusedRun(run));
    i += run.length - 1;
  }
  return out;
}

/** One step doing the work of `run` (a random resized crop, then followers in FOLLOWERS order). */
function fusedRun(run: readonly ImageTransform[]): ImageTransform {
  const config = (kind: string) => run.find((s) => s.kind === kind)?.getConfig();
  const crop = config('random-resized-crop') as unknown as RandomResizedCropConfig;
  const flip = config('random-horizontal-flip') as { p: number } | undefined;
  const jitter = config('color-jitter') as unknown as ColorJitterRanges | undefined;
  const normalize = config('normalize') as { mean: number[]; std: number[] } | undefined;
  const opByOp = (image: FloatImage, rng: Rng): FloatImage => run.reduce((x, s) => s.apply(x, rng), image);
  return {
    kind: 'compose',
    getConfig: () => ({ kind: 'compose', steps: run.map((s) => s.getConfig()) }),
    apply(image: FloatImage, rng: Rng): FloatImage {
      if (image.shape[2] !== 3 || (normalize !== undefined && (normalize.mean.length !== 3 || normalize.std.length !== 3))) {
        return opByOp(image, rng);
      }
      const box = cropRegion(image.shape, crop.scale, crop.ratio, rng);
      const flipped = flip !== undefined && rng.float() < flip.p;
      const color: ColorStep[] = jitter ? drawColorJitter(jitter, rng) : [];
      return fusedCropColor(image, { height: crop.height, width: crop.width, box, antialias: crop.antialias, flip: flipped, color, normalize });
    },
  };
}
