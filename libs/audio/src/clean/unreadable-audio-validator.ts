import { DataError } from '@omnitrain/core';
import type { SampleValidator } from '@omnitrain/data';
import { readAudioHeader } from './read-audio-header.js';

/**
 * A sample validator reporting audio files that cannot be decoded: truncated (data chunk shorter
 * than declared), corrupt, not WAV, or of an unsupported encoding. The detail is the decoder's
 * message, which names the file and says what was expected and found. Registered in data's
 * `sampleValidators` as `unreadable-audio` when this lib is imported.
 *
 * @example
 * const report = await cleanSamples(ds.samples); // with @omnitrain/audio imported
 * report.summary.byReason['unreadable-audio']; // count of truncated/corrupt WAVs
 */
export const unreadableAudioValidator: SampleValidator = async (sample) => {
  if (sample.audio === undefined) return undefined;
  const header = await readAudioHeader(sample.audio);
  return header instanceof DataError ? { reason: 'unreadable-audio', field: 'audio', detail: header.message } : undefined;
};
