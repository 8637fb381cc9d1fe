import { checkChoice, checkNumber } from '../options/check-options.js';
import { powerToDbInPlace } from './power-to-db-in-place.js';
import type { Spectrogram } from './spectrogram.js';

/** Options of {@link amplitudeToDb}; defaults are torchaudio.transforms.AmplitudeToDB's. */
export interface AmplitudeToDbOptions {
  /** `'power'` (10 log10) or `'magnitude'` (20 log10). Default `'power'`. */
  stype?: 'power' | 'magnitude';
  /** Floor of the input before the log, > 0. Default 1e-10. */
  amin?: number;
  /** Reference value (0 dB), > 0. Default 1. */
  ref?: number;
  /** Values more than this many dB below the spectrogram's maximum are raised to it. Default: no floor. */
  topDb?: number | null;
}

/**
 * Converts a power (or magnitude) spectrogram to decibels, as `torchaudio.transforms.AmplitudeToDB`:
 * `multiplier * log10(max(x, amin) / ref)` with multiplier 10 (power) or 20 (magnitude), then, with
 * `topDb`, `max(db, max(db) - topDb)` over the whole spectrogram.
 *
 * @param spec The spectrogram.
 * @param options Scale type, floor, reference, dynamic range (see {@link AmplitudeToDbOptions}).
 * @returns A new spectrogram in dB.
 * @example amplitudeToDb(mel.apply(samples), { topDb: 80 }) // log-mel with an 80 dB range
 */
export function amplitudeToDb(spec: Spectrogram, options: AmplitudeToDbOptions = {}): Spectrogram {
  const op = 'audio.amplitudeToDb';
  const multiplier = checkChoice(op, 'stype', options.stype ?? 'power', ['power', 'magnitude'] as const) === 'power' ? 10 : 20;
  const amin = checkNumber(op, 'amin', options.amin ?? 1e-10, { min: 0, minExclusive: true });
  const ref = checkNumber(op, 'ref', options.ref ?? 1, { min: 0, minExclusive: true });
  const topDb = options.topDb ?? null;
  if (topDb !== null) checkNumber(op, 'topDb', topDb, { min: 0 });
  const offset = multiplier * Math.log10(Math.max(amin, ref));
  const data = Float32Array.from(spec.data);
  powerToDbInPlace(data, multiplier, amin, offset, topDb, false);
  return { data, frames: spec.frames, bins: spec.bins };
}
