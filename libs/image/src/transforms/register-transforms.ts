// The image transforms this lib ships, registered once so imageTransformFromConfig finds them.
import { z } from 'zod';
import { loadConfigObject } from '@omnitrain/core';
import { colorJitter } from '../color/color-jitter.js';
import { cutout } from '../noise/cutout.js';
import { gaussianNoise } from '../noise/gaussian-noise.js';
import { normalize } from '../color/normalize.js';
import { centerCrop } from '../geometry/center-crop.js';
import { randomCrop } from '../geometry/random-crop.js';
import { randomHorizontalFlip } from '../geometry/random-horizontal-flip.js';
import { randomResizedCrop } from '../geometry/random-resized-crop.js';
import { randomRotation } from '../geometry/random-rotation.js';
import { randomScale } from '../geometry/random-scale.js';
import { randomTranslation } from '../geometry/random-translation.js';
import { randomVerticalFlip } from '../geometry/random-vertical-flip.js';
import { resize } from '../geometry/resize.js';
import { compose } from './compose.js';
import { imageTransforms } from './image-transform.js';
import { probability } from './option-schemas.js';
import { randomApply } from './random-apply.js';

for (const define of [
  centerCrop,
  colorJitter,
  cutout,
  gaussianNoise,
  normalize,
  randomCrop,
  randomHorizontalFlip,
  randomResizedCrop,
  randomRotation,
  randomScale,
  randomTranslation,
  randomVerticalFlip,
  resize,
]) {
  imageTransforms.register(define.kind, (options) => define(options as never));
}

const stepList = z.array(z.looseObject({ kind: z.string() }));
imageTransforms.register('compose', (options) =>
  compose(loadConfigObject(options, z.strictObject({ steps: stepList }), { source: 'image.compose' }).steps),
);
imageTransforms.register('random-apply', (options) => {
  const o = loadConfigObject(options, z.strictObject({ p: probability.default(0.5), steps: stepList }), { source: 'image.random-apply' });
  return randomApply(o.steps, o.p);
});
