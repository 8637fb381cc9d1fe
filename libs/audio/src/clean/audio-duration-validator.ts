import type { SampleValidator } from '@omnitrain/data';
import { checkRange } from '../options/check-options.js';
import { readAudioHeader } from './read-audio-header.js';

/** The durations {@link audioDurationValidator} accepts. */
export interface AudioDurationRange {
  /** Shortest clip accepted, in seconds. Default 0 (any length but empty). */
  minSeconds?: number;
  /** Longest clip accepted, in seconds. Default Infinity. */
  maxSeconds?: number;
}

/**
 * A sample validator reporting audio whose duration (from the WAV header) is outside a range, or
 * which is empty, with reason `duration-out-of-range`. Unreadable and missing files are left to
 * the `unreadable-audio` and `missing-file` validators. This lib registers one without a range
 * under `duration-out-of-range`: it applies the data config's `cleaning.audioSeconds` ({min, max}
 * seconds, handed over in the validation context), and rejects only empty clips without it. A
 * range given here takes precedence over the config's.
 *
 * @param range Accepted durations (see {@link AudioDurationRange}). Default: the config's
 *   `cleaning.audioSeconds`, else any non-empty clip.
 * @throws ConfigError on a negative or inverted range.
 * @example
 * sampleValidators.register('clip-length', audioDurationValidator({ minSeconds: 0.5, maxSeconds: 10 }));
 */
export function audioDurationValidator(range: AudioDurationRange = {}): SampleValidator {
  const op = 'audio.audioDurationValidator';
  const [ownMin, ownMax] = checkRange(op, ['minSeconds', range.minSeconds ?? 0], ['maxSeconds', range.maxSeconds ?? Infinity], { min: 0 });
  const own = range.minSeconds !== undefined || range.maxSeconds !== undefined;
  return async (sample, context) => {
    if (sample.audio === undefined) return undefined;
    // A range given here wins; otherwise the data config's cleaning.audioSeconds, if any.
    const min = own ? ownMin : (context?.audioSeconds?.min ?? 0);
    const max = own ? ownMax : (context?.audioSeconds?.max ?? Infinity);
    const header = await readAudioHeader(sample.audio);
    if (header === 'missing' || header instanceof Error) return undefined;
    if (header.frames > 0 && header.duration >= min && header.duration <= max) return undefined;
    const bounds = max === Infinity ? `at least ${min} s and not empty` : `${min} s to ${max} s`;
    return {
      reason: 'duration-out-of-range',
      field: 'audio',
      detail: `audio lasts ${header.duration} s (${header.frames} frames), expected ${bounds}: ${sample.audio}`,
    };
  };
}
