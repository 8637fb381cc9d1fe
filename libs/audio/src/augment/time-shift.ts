import type { Rng } from '@omnitrain/core';
import { checkChoice, checkConfig, checkNumber } from '../options/check-options.js';
import type { AudioClip } from '../wav/audio-clip.js';
import type { AudioAugmentation } from './audio-augmentation.js';

/** The config of {@link TimeShift}. */
export type TimeShiftConfig = { kind: 'time-shift'; maxSeconds: number; fill: 'zero' | 'wrap' };

/**
 * Shifts a clip in time by a whole number of samples drawn uniformly in ±maxSeconds (positive:
 * later). The length is kept: what leaves one end is dropped and replaced by zeros (`fill: 'zero'`)
 * or comes back at the other end (`fill: 'wrap'`).
 *
 * @example new TimeShift({ maxSeconds: 0.1, fill: 'wrap' }).apply(clip, rng)
 */
export class TimeShift implements AudioAugmentation<'waveform'> {
  readonly kind = 'time-shift';
  readonly domain = 'waveform';
  readonly maxSeconds: number;
  readonly fill: 'zero' | 'wrap';

  /** @param options `maxSeconds` (>= 0, default 0.1) and `fill` (default `'zero'`). */
  constructor(options: { maxSeconds?: number; fill?: 'zero' | 'wrap' } = {}) {
    const op = 'audio.TimeShift';
    this.maxSeconds = checkNumber(op, 'maxSeconds', options.maxSeconds ?? 0.1, { min: 0 });
    this.fill = checkChoice(op, 'fill', options.fill ?? 'zero', ['zero', 'wrap'] as const);
  }

  /** Rebuilds it from {@link TimeShift.getConfig}; ConfigError if malformed. */
  static fromConfig(config: unknown): TimeShift {
    return new TimeShift(checkConfig<TimeShiftConfig>('audio.TimeShift.fromConfig', config, 'time-shift', ['maxSeconds', 'fill']));
  }

  apply(clip: AudioClip, rng: Rng): AudioClip {
    const max = Math.round(this.maxSeconds * clip.sampleRate);
    const shift = rng.int(-max, max);
    const channels = clip.channels.map((c) => {
      const n = c.length;
      const out = new Float32Array(n);
      if (n === 0) return out;
      if (this.fill === 'wrap') {
        const s = ((shift % n) + n) % n;
        out.set(c.subarray(n - s), 0);
        out.set(c.subarray(0, n - s), s);
      } else if (shift >= 0) out.set(c.subarray(0, Math.max(0, n - shift)), Math.min(shift, n));
      else out.set(c.subarray(Math.min(-shift, n)));
      return out;
    });
    return { sampleRate: clip.sampleRate, channels };
  }

  getConfig(): TimeShiftConfig {
    return { kind: 'time-shift', maxSeconds: this.maxSeconds, fill: this.fill };
  }
}
