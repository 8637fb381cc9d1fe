import { DataError } from '@omnitrain/core';

/**
 * Rows of a row-major matrix whose last axis has `width` values (features or channels).
 *
 * @throws DataError when `length` is not a multiple of `width`.
 */
export function rowCount(length: number, width: number, op: string): number {
  if (width < 1 || length % width !== 0) {
    throw new DataError({
      op,
      expected: `a row-major array whose last axis has ${width} values`,
      received: `${length} values`,
      hint: 'pass data laid out [..., features] (images: [n, height, width, channels])',
    });
  }
  return length / width;
}

/** The error of fitting on an empty training split. */
export function noData(op: string): DataError {
  return new DataError({ op, expected: 'at least one training row', received: 'none', hint: 'fit on the training split' });
}
