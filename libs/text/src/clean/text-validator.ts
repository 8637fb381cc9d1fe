import { normalizeText } from '@omnitrain/data';
import type { SampleValidator } from '@omnitrain/data';
import { loadSampleText } from './load-sample-text.js';
import type { LoadSampleTextOptions } from './load-sample-text.js';

/** The longest text the registered `text` validator accepts, in UTF-16 code units. */
export const DEFAULT_MAX_TEXT_CHARS = 100_000;

/** Options of {@link textValidator}. */
export interface TextValidatorOptions extends LoadSampleTextOptions {
  /** Longest accepted text, in UTF-16 code units. Default {@link DEFAULT_MAX_TEXT_CHARS}. */
  maxChars?: number;
}

/**
 * A cleaning check of a sample's text (inline or a `.txt` path, see loadSampleText): reports
 * `unreadable-text` when its file cannot be read, `empty-text` when nothing is left after
 * normalization (data's `normalizeText`), `text-too-long` past `maxChars`. Samples without text
 * pass. This lib registers one as the sample validator `text`; register others for other limits.
 *
 * @param options Length limit and read mode.
 * @example
 * sampleValidators.register('text-512', textValidator({ maxChars: 512 }));
 * await cleanSamples(samples, { validators: ['missing-label', 'text-512'] });
 */
export function textValidator(options: TextValidatorOptions = {}): SampleValidator {
  const maxChars = options.maxChars ?? DEFAULT_MAX_TEXT_CHARS;
  return async (sample) => {
    if (sample.text === undefined) return undefined;
    let text: string;
    try {
      text = (await loadSampleText(sample, options))!;
    } catch (e) {
      return { reason: 'unreadable-text', field: 'text', detail: e instanceof Error ? e.message : String(e) };
    }
    const what = text === sample.text ? 'the text' : `text file ${sample.text}`;
    if (normalizeText(text) === '') return { reason: 'empty-text', field: 'text', detail: `${what} is blank` };
    if (text.length > maxChars) {
      return { reason: 'text-too-long', field: 'text', detail: `${what} has ${text.length} characters, more than ${maxChars}` };
    }
    return undefined;
  };
}
