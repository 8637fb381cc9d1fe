import { checkChoice, checkNumber } from '../options/check-options.js';
import type { AudioClip } from './audio-clip.js';

/** Options of {@link fitDuration}. */
export interface FitDurationOptions {
  /**
   * Which part of the audio is kept and where padding goes: `'start'` keeps the beginning (cuts or
   * pads the end), `'end'` keeps the end (cuts or pads the beginning), `'center'` cuts or pads both
   * sides equally (the extra sample on the end side). Default `'start'`.
   */
  align?: 'start' | 'center' | 'end';
}

/**
 * Trims or zero-pads every channel of a clip to exactly `round(seconds * sampleRate)` frames, so
 * clips can be batched without masks.
 *
 * @param clip The clip.
 * @param seconds The duration wanted, >= 0.
 * @param options Alignment (see {@link FitDurationOptions}). Default: keep the start.
 * @returns A new clip (the channels are copies).
 * @throws ConfigError on a negative duration or unknown alignment.
 * @example
 * fitDuration(clip, 1.0).channels[0].length // 16000 for a 16 kHz clip, whatever its length
 * fitDuration(clip, 1.0, { align: 'center' }) // keeps the middle second of a long clip
 */
export function fitDuration(clip: AudioClip, seconds: number, options: FitDurationOptions = {}): AudioClip {
  const op = 'audio.fitDuration';
  checkNumber(op, 'seconds', seconds, { min: 0 });
  const align = checkChoice(op, 'align', options.align ?? 'start', ['start', 'center', 'end'] as const);
  const length = Math.round(seconds * clip.sampleRate);
  const channels = clip.channels.map((samples) => {
    const out = new Float32Array(length);
    const diff = length - samples.length; // > 0: pad; < 0: cut
    const lead = align === 'start' ? 0 : align === 'end' ? diff : Math.trunc(diff / 2);
    if (lead >= 0) out.set(samples.subarray(0, length - lead), lead);
    else out.set(samples.subarray(-lead, -lead + length));
    return out;
  });
  return { sampleRate: clip.sampleRate, channels };
}
