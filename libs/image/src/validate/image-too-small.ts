import type { SampleValidator } from '@omnitrain/data';
import { readImageInfo } from '../decode/read-image-info.js';

/** Options of {@link imageTooSmall}. */
export interface ImageTooSmallOptions {
  /** Smallest acceptable width in pixels. Default 8. */
  minWidth?: number;
  /** Smallest acceptable height in pixels. Default 8. */
  minHeight?: number;
}

/**
 * A cleaning check that flags images smaller than a minimum size (reason `image-too-small`),
 * reading only the file's header. Files it cannot read are left to the `missing-file` and
 * `unreadable-image` checks. Registered as `image-too-small` with the defaults (8 x 8, which
 * catches placeholder and 1-pixel images); register another instance for a stricter size.
 *
 * @param options `minWidth`, `minHeight` (default 8 each).
 * @example
 * sampleValidators.register('image-under-224', imageTooSmall({ minWidth: 224, minHeight: 224 }));
 */
export function imageTooSmall(options: ImageTooSmallOptions = {}): SampleValidator {
  const { minWidth = 8, minHeight = 8 } = options;
  return async (sample) => {
    if (sample.image === undefined) return undefined;
    const info = await readImageInfo(sample.image).catch(() => undefined);
    if (info === undefined || (info.width >= minWidth && info.height >= minHeight)) return undefined;
    return {
      reason: 'image-too-small',
      field: 'image',
      detail: `image is ${info.width}x${info.height}, smaller than ${minWidth}x${minHeight}: ${sample.image}`,
    };
  };
}
