import { stat } from 'node:fs/promises';
import { DataError } from '@omnitrain/core';
import type { SampleProblem, SampleValidator } from '@omnitrain/data';
import { decodeImage } from '../decode/decode-image.js';

/**
 * The cleaning check registered as `unreadable-image`: decodes the sample's image in full and
 * reports why it cannot be (unsupported format, corrupt or truncated data), naming the file.
 * Missing files are left to `missing-file`.
 *
 * @example
 * const report = await cleanSamples(ds.samples); // runs it with every registered validator
 * report.dropped[0].problems[0]; // { reason: 'unreadable-image', field: 'image', detail: 'image.decode: expected ...' }
 */
export const unreadableImage: SampleValidator = async (sample): Promise<SampleProblem | undefined> => {
  const path = sample.image;
  if (path === undefined || !(await stat(path).catch(() => undefined))?.isFile()) return undefined;
  try {
    await decodeImage(path, { colors: 'keep', alpha: 'keep' });
    return undefined;
  } catch (error) {
    if (!(error instanceof DataError)) throw error;
    return { reason: 'unreadable-image', field: 'image', detail: error.message };
  }
};
