import { z } from 'zod';
import { DataError } from '@omnitrain/core';
import { Standardizer } from '@omnitrain/data';
import { floatImage } from '../image/float-image.js';
import { defineImageTransform } from '../transforms/define-image-transform.js';

/** ImageNet's per-channel RGB mean and standard deviation, for pretrained encoders. */
export const IMAGENET_MEAN = [0.485, 0.456, 0.406] as const;
/** See {@link IMAGENET_MEAN}. */
export const IMAGENET_STD = [0.229, 0.224, 0.225] as const;

/**
 * Standardizes every channel, `(x - mean[c]) / std[c]` (data's `Standardizer`, so statistics
 * fitted with `Standardizer.fit` on the training split plug in directly); the last step of a
 * pipeline, before `toTensor`.
 *
 * @param options `mean` and `std`, one value per channel (std > 0).
 * @example
 * normalize({ mean: [...IMAGENET_MEAN], std: [...IMAGENET_STD] })
 * const { mean, std } = Standardizer.fit(trainPixels, 3); // training split only
 * normalize({ mean: [...mean], std: [...std] })
 */
export const normalize = defineImageTransform(
  'normalize',
  z
    .strictObject({ mean: z.array(z.number()).min(1).max(4), std: z.array(z.number().positive()).min(1).max(4) })
    .refine((o) => o.mean.length === o.std.length, { message: 'mean and std must have one value per channel each' }),
  (o) => {
    const standardizer = new Standardizer(o.mean, o.std);
    return (image) => {
      if (image.shape[2] !== o.mean.length) {
        throw new DataError({
          op: 'image.normalize',
          expected: `an image with ${o.mean.length} channels (one mean and std each)`,
          received: `shape [${image.shape.join(', ')}]`,
          hint: 'decode with the matching colors/alpha options, or give one mean and std per channel',
        });
      }
      return floatImage(image.shape, standardizer.transform(image.data));
    };
  },
);
