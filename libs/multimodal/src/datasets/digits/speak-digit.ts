import SamJs from 'sam-js';
import { resample } from '@omnitrain/audio';
import { DataError } from '@omnitrain/core';
import type { Rng } from '@omnitrain/core';
import { DIGIT_WORDS } from './digit-words.js';

/** The rate sam-js renders at. */
const SAM_RATE = 22_050;

/** The settings of one synthetic speaker of sam-js. */
export interface SamVoice {
  /** Speed, 1 (fast) to 255 (slow); SAM's default 72. */
  speed: number;
  /** Pitch, 0 (high) to 255 (low); SAM's default 64. */
  pitch: number;
  /** Mouth, SAM's default 128. */
  mouth: number;
  /** Throat, SAM's default 128. */
  throat: number;
}

/**
 * Draws a speaker: SAM settings spread around its defaults, from `rng`.
 *
 * @param rng The random stream.
 * @example const voice = randomVoice(Rng.fromSeed(1)); // { speed: 81, pitch: 58, ... }
 */
export function randomVoice(rng: Rng): SamVoice {
  return { speed: rng.int(60, 95), pitch: rng.int(45, 95), mouth: rng.int(105, 175), throat: rng.int(95, 165) };
}

/**
 * Speaks the English word of `digit` with the sam-js text-to-speech engine and resamples it to
 * `sampleRate`, with its DC offset removed. Deterministic: the same voice gives the same samples.
 *
 * @param digit 0 to 9.
 * @param voice The speaker's settings.
 * @param sampleRate The output rate in Hz (an integer).
 * @returns The waveform in [-1, 1].
 * @throws DataError when sam-js renders nothing.
 * @example const seven = speakDigit(7, randomVoice(rng), 8000); // ~0.5 s
 */
export function speakDigit(digit: number, voice: SamVoice, sampleRate: number): Float32Array {
  const sam = new SamJs({ ...voice });
  const raw = sam.buf32(DIGIT_WORDS[digit]!);
  if (!(raw instanceof Float32Array) || raw.length === 0) {
    throw new DataError({
      op: 'multimodal.speakDigit',
      expected: 'samples from sam-js',
      received: String(raw),
      where: `digit ${digit}, voice ${JSON.stringify(voice)}`,
    });
  }
  let mean = 0;
  for (const v of raw) mean += v;
  mean /= raw.length || 1;
  const centered = Float32Array.from(raw, (v) => (v - mean) * 1.8);
  return resample(centered, SAM_RATE, sampleRate);
}
