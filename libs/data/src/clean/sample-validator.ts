import { Registry } from '@omnitrain/core';
import type { Sample } from '../manifest/sample.js';

/** Why a sample cannot be used. */
export interface SampleProblem {
  /** A short, stable reason code used to count problems: `missing-file`, `unknown-label`, ... */
  reason: string;
  /** What exactly is wrong, for the report: `image file not found: /data/img/7.png`. */
  detail: string;
  /** The field at fault, when there is one. */
  field?: string;
}

/** What validators may need besides the sample. */
export interface ValidationContext {
  /** The allowed classes, when known; without them labels are not checked against a list. */
  classes?: readonly string[];
  /**
   * The accepted audio durations in seconds (the data config's `cleaning.audioSeconds`), for the
   * duration validator of @omnitrain/audio. Default: any non-empty clip.
   */
  audioSeconds?: { min?: number; max?: number };
}

/**
 * A check of one sample: returns its problem, or undefined when the sample is fine. May be async
 * (it can open files).
 *
 * @example
 * const emptyText: SampleValidator = (s) =>
 *   s.text !== undefined && s.text.trim() === '' ? { reason: 'empty-text', detail: 'text is blank', field: 'text' } : undefined;
 */
export type SampleValidator = (
  sample: Sample,
  context: ValidationContext,
) => SampleProblem | undefined | Promise<SampleProblem | undefined>;

/**
 * The validators cleaning runs, by name. This lib registers `missing-file`, `missing-label`,
 * `unknown-label` and `no-content`; modality libs add theirs (e.g. `unreadable-image`) in their
 * registration file.
 *
 * @example sampleValidators.register('unreadable-image', async (s) => ((await canDecode(s.image)) ? undefined : { reason: 'unreadable-image', detail: '...' }));
 */
export const sampleValidators = new Registry<SampleValidator>('sample validator');
